package dev.lifecycle.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.activities.store.EpochMetrics;
import dev.lifecycle.activities.store.ExperimentStatus;
import dev.lifecycle.activities.store.ExperimentStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.NewExperimentRun;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.worker.Main;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentsCommandTest {
  @TempDir Path home;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private long slow;
  private long fast;

  @BeforeEach
  void recordRuns() {
    try (MetadataStore store = MetadataStore.open(settings())) {
      ExperimentStore experiments = store.experiments();
      slow = finished(experiments, "r1", 0.001, Map.of("validation_loss", 0.9, "accuracy", 0.7));
      fast = finished(experiments, "r2", 0.01, Map.of("validation_loss", 0.4, "accuracy", 0.8));
      long failed = start(experiments, "r3", 0.1);
      experiments.ended(failed, ExperimentStatus.FAILED, "diverged");
    }
  }

  private LifecycleSettings settings() {
    return LifecycleSettings.fromEnvironment(Map.of("LIFECYCLE_HOME", home.toString()));
  }

  private static long start(ExperimentStore experiments, String runId, double learningRate) {
    return experiments
        .start(
            new NewExperimentRun(
                "wf-" + runId,
                runId,
                "train",
                "fashion",
                Map.of(),
                Map.of("epochs", 2, "learningRate", learningRate),
                new ArtifactRef(
                    "file:///data/train", "a".repeat(64), 10, ValueType.DATASET, "parquet"),
                null,
                "registry model 'base' version 1"))
        .id();
  }

  private static long finished(
      ExperimentStore experiments, String runId, double learningRate, Map<String, Double> metrics) {
    long id = start(experiments, runId, learningRate);
    experiments.recordEpoch(id, new EpochMetrics(1, 1.5, 1.25, 1200), null);
    experiments.recordEpoch(id, new EpochMetrics(2, 0.75, 0.5, 2400), null);
    experiments.succeeded(
        id,
        metrics,
        new ArtifactRef("file:///models/" + runId, "b".repeat(64), 10, ValueType.MODEL, "djl"));
    return id;
  }

  private int run(String... args) {
    Console console =
        new Console(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of("LIFECYCLE_HOME", home.toString()));
    return Main.run(args, console);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listsRunsNewestFirstInAlignedColumns() {
    assertEquals(0, run("experiments"), err());

    List<String> lines = out().lines().toList();
    assertEquals(4, lines.size(), out());
    assertTrue(lines.get(0).startsWith("ID"), out());
    assertTrue(lines.get(1).contains("failed"), out());
    assertTrue(lines.get(3).startsWith(String.valueOf(slow)), out());
    // Aligned: every row's STATUS column starts where the header's does.
    int status = lines.get(0).indexOf("STATUS");
    for (String line : lines.subList(1, lines.size())) {
      assertTrue(line.substring(status).matches("(failed|succeeded) .*"), out());
    }
    assertTrue(lines.get(2).contains("accuracy=0.8 validation_loss=0.4"), out());
  }

  @Test
  void filtersByStatus() {
    assertEquals(0, run("experiments", "list", "--status", "succeeded", "--pipeline", "fashion"));

    assertEquals(3, out().lines().count(), out());
    assertEquals(2, run("experiments", "list", "--status", "done"));
    assertTrue(err().contains("'done'"), err());
  }

  @Test
  void showsOneRunWithItsEpochs() {
    assertEquals(0, run("experiments", "show", String.valueOf(fast)), err());

    assertTrue(out().contains("learningRate=0.01"), out());
    assertTrue(out().contains("registry model 'base' version 1"), out());
    assertTrue(out().contains("EPOCH  TRAIN LOSS  VALIDATION LOSS  ELAPSED"), out());
    assertTrue(out().contains("2      0.75        0.5              2.4 s"), out());
  }

  @Test
  void showOfAnUnknownRunNamesIt() {
    assertEquals(1, run("experiments", "show", "424242"));
    assertTrue(err().contains("424242"), err());
  }

  @Test
  void comparesRunsMarkingDifferences() {
    assertEquals(0, run("experiments", "compare", String.valueOf(slow), String.valueOf(fast)));

    String learningRate =
        out()
            .lines()
            .filter(l -> l.contains("hyperparameters.learningRate"))
            .findFirst()
            .orElseThrow();
    assertTrue(learningRate.startsWith("*"), out());
    assertTrue(learningRate.contains("0.001") && learningRate.contains("0.01"), learningRate);
    String epochs =
        out().lines().filter(l -> l.contains("hyperparameters.epochs")).findFirst().orElseThrow();
    assertTrue(epochs.startsWith(" "), out());
    assertTrue(out().contains("* differs: hyperparameters.learningRate, metrics.accuracy"), out());
    assertEquals(2, run("experiments", "compare", String.valueOf(slow)));
  }

  @Test
  void picksTheBestRunByAMetric() {
    assertEquals(0, run("experiments", "best", "--metric", "validation_loss"), err());
    assertTrue(out().startsWith("Best run by validation_loss (min): " + fast), out());

    out.reset();
    assertEquals(0, run("experiments", "best", "--metric", "accuracy", "--direction", "min"));
    assertTrue(out().startsWith("Best run by accuracy (min): " + slow), out());

    assertEquals(2, run("experiments", "best", "--metric", "auc"));
    assertTrue(err().contains("'auc'") && err().contains("[accuracy, validation_loss]"), err());
    assertEquals(2, run("experiments", "best"));
  }
}
