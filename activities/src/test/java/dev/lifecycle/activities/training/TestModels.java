package dev.lifecycle.activities.training;

import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Trains small models for the tests of the model's consumers. */
public final class TestModels {
  private TestModels() {}

  /** A test activity environment with Lifecycle's data converter. */
  public static TestActivityEnvironment environment() {
    return TestActivityEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder()
            .setWorkflowClientOptions(
                WorkflowClientOptions.newBuilder()
                    .setDataConverter(LifecycleDataConverter.create())
                    .build())
            .build());
  }

  /** Default options for activity stubs in tests. */
  public static ActivityOptions options() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(10))
        .setHeartbeatTimeout(Duration.ofMinutes(2))
        .build();
  }

  /** Trains a model on {@code train} and returns its artifact. */
  public static ArtifactRef train(
      ArtifactStore store, Task task, String label, ArtifactRef train, int epochs) {
    TestActivityEnvironment env = environment();
    try {
      env.registerActivitiesImplementations(new TrainingActivitiesImpl(store));
      return env.newActivityStub(TrainingActivities.class, options())
          .train(
              TrainingActivitiesImplTest.task(
                  TrainingActivitiesImplTest.step(task, label, List.of(16), false, 1),
                  Map.of("train", train),
                  epochs,
                  32,
                  0.01))
          .artifacts()
          .get("model");
    } finally {
      env.close();
    }
  }
}
