package dev.lifecycle.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Inference: batch transform and endpoints. Every method takes the step with its resolved inputs.
 */
@ActivityInterface
public interface DeploymentActivities {

  /** Writes the model's predictions for every row of a dataset. */
  @ActivityMethod(name = "BatchTransform")
  StepResult batchTransform(StepTask task);

  /**
   * Serves a registered model version at the step's endpoint (creating the endpoint, or rolling the
   * new version out on an existing one) and moves the registry's {@code production} alias to it.
   * Outputs {@code endpoint} (its name) and {@code url} (its invocation path). Idempotent per run
   * and step.
   */
  @ActivityMethod(name = "Deploy")
  StepResult deploy(StepTask task);
}
