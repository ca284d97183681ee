package dev.lifecycle.activities.training;

import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepTask;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assertions;

/** Train steps and tasks for the image and fine-tuning tests, and a look inside trained models. */
final class TrainTasks {
  private TrainTasks() {}

  /** A classifier of {@code label} reading {@code features.train} (and validation). */
  static Train classifier(String name, boolean validation, long seed) {
    return new Train(
        name,
        new OutputRef("features", "train"),
        validation ? new OutputRef("features", "validation") : null,
        "label",
        Task.CLASSIFICATION,
        List.of(),
        new Literal(1),
        new Literal(1),
        new Literal(0.001),
        seed,
        null,
        null);
  }

  /** A task for {@code step}; {@code pretrained} is an artifact, a location string, or null. */
  static StepTask task(
      Train step,
      ArtifactRef train,
      ArtifactRef validation,
      Object pretrained,
      int epochs,
      int batchSize,
      double learningRate) {
    Map<String, ArtifactRef> artifacts = new HashMap<>();
    artifacts.put("train", train);
    if (validation != null) {
      artifacts.put("validation", validation);
    }
    Map<String, Object> values = new HashMap<>();
    values.put("epochs", epochs);
    values.put("batchSize", batchSize);
    values.put("learningRate", learningRate);
    if (pretrained instanceof ArtifactRef ref) {
      artifacts.put("pretrained", ref);
    } else if (pretrained != null) {
      values.put("pretrained", pretrained);
    }
    return new StepTask(
        new RunInfo("wf-1", "run-1", "test", "plan", Map.of()), step, artifacts, values);
  }

  /** The raw bytes of every parameter of the Lifecycle model in {@code dir}, by stable name. */
  static Map<String, byte[]> weights(Path dir) throws Exception {
    ModelMetadata metadata = ModelBundle.readMetadata(dir);
    try (Network network = Network.load(dir, metadata, false)) {
      return bytes(network);
    }
  }

  /** The raw bytes of every parameter of the TorchScript module in {@code file}. */
  static Map<String, byte[]> torchScriptWeights(Path file) throws Exception {
    try (Network network = Network.torchScript(file, List.of(1, 28, 28), false)) {
      return bytes(network);
    }
  }

  private static Map<String, byte[]> bytes(Network network) {
    Map<String, byte[]> weights = new TreeMap<>();
    network.parameters().forEach((name, p) -> weights.put(name, p.getArray().toByteArray()));
    return weights;
  }

  /**
   * Asserts that the parameters matching {@code frozen} are bit-identical in {@code before} and
   * {@code after}, and that every other parameter moved.
   */
  static void assertFrozenAndMoved(
      Map<String, byte[]> before, Map<String, byte[]> after, String frozen, List<String> replaced) {
    Assertions.assertEquals(before.keySet(), after.keySet());
    int frozenCount = 0;
    int movedCount = 0;
    for (String name : before.keySet()) {
      if (replaced.stream().anyMatch(r -> dev.lifecycle.dsl.plan.FineTune.matches(r, name))) {
        continue;
      }
      if (dev.lifecycle.dsl.plan.FineTune.matches(frozen, name)) {
        Assertions.assertArrayEquals(
            before.get(name), after.get(name), name + " is frozen but changed");
        frozenCount++;
      } else {
        Assertions.assertFalse(
            java.util.Arrays.equals(before.get(name), after.get(name)), name + " did not train");
        movedCount++;
      }
    }
    Assertions.assertTrue(frozenCount > 0, "no frozen parameter compared");
    Assertions.assertTrue(movedCount > 0, "no trainable parameter compared");
  }

  /**
   * Waits until no thread of this JVM is inside {@code TrainingActivitiesImpl.train}: a cancelled
   * attempt stops at its next heartbeat, and {@code TestActivityEnvironment} does not wait for it.
   */
  static void awaitNoTraining(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> training = new java.util.ArrayList<>();
      for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
        for (StackTraceElement frame : thread.getValue()) {
          if (frame.getClassName().equals(TrainingActivitiesImpl.class.getName())
              && frame.getMethodName().equals("train")) {
            training.add(thread.getKey().getName());
            break;
          }
        }
      }
      if (training.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        Assertions.fail("Still training after " + timeout + ": " + training);
      }
      Thread.sleep(20);
    }
  }
}
