package dev.lifecycle.bench;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.DataActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;

/**
 * Activities that do no work, so that a benchmark measures orchestration alone. Each returns one
 * dataset reference, the shape a real ingest returns.
 */
final class TrivialDataActivities implements DataActivities {
  @Override
  public StepResult ingest(StepTask task) {
    String uri = "bench://" + task.run().runId() + "/" + task.stepName();
    return StepResult.builder()
        .artifact(
            "dataset",
            new ArtifactRef(
                uri, Integer.toHexString(uri.hashCode()), 0, ValueType.DATASET, "parquet"))
        .build();
  }

  @Override
  public StepResult split(StepTask task) {
    throw new UnsupportedOperationException("The benchmark runs ingest steps only");
  }

  @Override
  public StepResult features(StepTask task) {
    throw new UnsupportedOperationException("The benchmark runs ingest steps only");
  }
}
