package dev.lifecycle.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The model registry. Every method takes the step with its resolved inputs. */
@ActivityInterface
public interface RegistryActivities {

  /** Registers a model version with its metrics and lineage; idempotent per run and step. */
  @ActivityMethod(name = "Register")
  StepResult register(StepTask task);

  /**
   * The version the registry's {@code production} alias of {@code modelName} points at, with its
   * recorded metrics; a result without a version when there is none (or no such model). Read-only.
   */
  @ActivityMethod(name = "ProductionMetrics")
  ProductionModel productionMetrics(String modelName);

  /**
   * Records a decision as the version's approval status (approved or rejected) with approver and
   * comment; idempotent. Fails non-retryably when there is no such version.
   */
  @ActivityMethod(name = "SetApproval")
  void setApproval(VersionApproval approval);
}
