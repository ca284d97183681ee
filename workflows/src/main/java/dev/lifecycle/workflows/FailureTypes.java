package dev.lifecycle.workflows;

/**
 * Stable {@code ApplicationFailure} type strings. Retry policies match on them, and users grep for
 * them: never rename one.
 */
public final class FailureTypes {
  private FailureTypes() {}

  /** The run's input is not valid JSON of the expected shape (unknown field, wrong type). */
  public static final String INVALID_INPUT = "LifecycleInvalidInput";

  /** The plan breaks a compiler rule. */
  public static final String INVALID_PLAN = "LifecycleInvalidPlan";

  /** No registered pipeline has that name. */
  public static final String UNKNOWN_PIPELINE = "LifecycleUnknownPipeline";

  /** A run parameter is unknown, missing or of the wrong type. */
  public static final String INVALID_PARAMETER = "LifecycleInvalidParameter";

  /** The data cannot be used as asked (missing column, empty file, non-numeric feature). */
  public static final String INVALID_DATA = "LifecycleInvalidData";

  /** An artifact a step reads is missing or its content does not match its sha256. */
  public static final String MISSING_ARTIFACT = "LifecycleMissingArtifact";

  /** A person rejected an approval gate, or it expired. */
  public static final String APPROVAL_REJECTED = "LifecycleApprovalRejected";

  /** A fail step ran: the pipeline decided to stop (e.g. the metric missed the bar). */
  public static final String PIPELINE_FAILED = "LifecyclePipelineFailed";

  /**
   * A step's activity failed for a reason that is not an {@code ApplicationFailure} of its own (it
   * timed out, or was cancelled). A step failing with an {@code ApplicationFailure} fails the run
   * with that failure's type instead.
   */
  public static final String STEP_FAILED = "LifecycleStepFailed";

  /** A label step's deadline passed with escalation {@code fail}. */
  public static final String LABELING_DEADLINE_MISSED = "LifecycleLabelingDeadlineMissed";

  /** A webhook did not accept an alert (the monitor counts it and goes on). */
  public static final String WEBHOOK_FAILED = "LifecycleWebhookFailed";

  /**
   * A deploy step's new version was rolled back on its endpoint: an alarm (error rate or p99
   * latency) tripped while it baked. The previous version keeps serving.
   */
  public static final String DEPLOYMENT_ROLLED_BACK = "LifecycleDeploymentRolledBack";

  /** Types the interpreter never retries, whatever the step's retry policy says. */
  public static final String[] NON_RETRYABLE = {
    INVALID_INPUT, INVALID_PLAN, UNKNOWN_PIPELINE, INVALID_PARAMETER, INVALID_DATA, MISSING_ARTIFACT
  };
}
