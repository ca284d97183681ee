package dev.lifecycle.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Scores models on held-out data. Every method takes the step with its resolved inputs. */
@ActivityInterface
public interface EvaluationActivities {

  /** Scores the model and writes the metrics and a report. */
  @ActivityMethod(name = "Evaluate")
  StepResult evaluate(StepTask task);
}
