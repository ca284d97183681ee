package dev.lifecycle.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Model training with DJL on the PyTorch engine. Every method takes the step with its resolved
 * inputs.
 */
@ActivityInterface
public interface TrainingActivities {

  /** Trains a model; heartbeats its epoch and resumes from the last checkpoint on retry. */
  @ActivityMethod(name = "Train")
  StepResult train(StepTask task);
}
