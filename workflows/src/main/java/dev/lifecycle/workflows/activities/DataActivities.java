package dev.lifecycle.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Data steps on DuckDB: ingest into a versioned Parquet dataset, split, feature engineering. Every
 * method takes the step with its resolved inputs.
 */
@ActivityInterface
public interface DataActivities {

  /** Reads the source into a Parquet dataset and the data catalog. */
  @ActivityMethod(name = "Ingest")
  StepResult ingest(StepTask task);

  /** Splits a dataset into train, validation and test sets by a seeded shuffle. */
  @ActivityMethod(name = "Split")
  StepResult split(StepTask task);

  /** Fits the feature transform on train and applies it to all three sets. */
  @ActivityMethod(name = "Features")
  StepResult features(StepTask task);
}
