package dev.lifecycle.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The model registry. Every method takes the step with its resolved inputs. */
@ActivityInterface
public interface RegistryActivities {

  /** Registers a model version with its metrics and lineage; idempotent per run and step. */
  @ActivityMethod(name = "Register")
  StepResult register(StepTask task);
}
