package dev.lifecycle.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Inference: batch transform now; endpoints later. Every method takes the step with its resolved
 * inputs.
 */
@ActivityInterface
public interface DeploymentActivities {

  /** Writes the model's predictions for every row of a dataset. */
  @ActivityMethod(name = "BatchTransform")
  StepResult batchTransform(StepTask task);
}
