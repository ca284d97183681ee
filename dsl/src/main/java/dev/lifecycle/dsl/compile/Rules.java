package dev.lifecycle.dsl.compile;

/**
 * The names of the compiler's rules, as {@link Problem#rule()} carries them. Stable: tools and
 * tests match on them.
 */
public final class Rules {
  private Rules() {}

  /** Two steps (branches included) or two parameters share a name. */
  public static final String DUPLICATE_NAME = "DUPLICATE_NAME";

  /** A step, parameter or pipeline name is not {@code [A-Za-z][A-Za-z0-9_-]{0,63}}. */
  public static final String INVALID_NAME = "INVALID_NAME";

  /** The pipeline has no steps. */
  public static final String EMPTY_PIPELINE = "EMPTY_PIPELINE";

  /** A reference (output, metric, {@code after}) names a step that does not exist. */
  public static final String UNKNOWN_STEP = "UNKNOWN_STEP";

  /** A reference names an output its step does not have. */
  public static final String UNKNOWN_OUTPUT = "UNKNOWN_OUTPUT";

  /** A reference or a run names a parameter the pipeline does not declare. */
  public static final String UNKNOWN_PARAMETER = "UNKNOWN_PARAMETER";

  /** Steps wait for each other in a circle. */
  public static final String CYCLE = "CYCLE";

  /** A metric is read that no earlier step produces. */
  public static final String UNKNOWN_METRIC = "UNKNOWN_METRIC";

  /** A metric is read without naming its step, and several earlier steps produce it. */
  public static final String AMBIGUOUS_METRIC = "AMBIGUOUS_METRIC";

  /** A value's type does not fit where it is used. */
  public static final String TYPE_MISMATCH = "TYPE_MISMATCH";

  /** A required field of a step is not set. */
  public static final String MISSING_INPUT = "MISSING_INPUT";

  /** A string in the plan is larger than {@link PipelineCompiler#MAX_LITERAL_BYTES}. */
  public static final String LITERAL_TOO_LARGE = "LITERAL_TOO_LARGE";

  /** A setting is out of its range (fractions, sizes, durations, formats). */
  public static final String INVALID_VALUE = "INVALID_VALUE";

  /** A step reads an output of a branch step that may not have run. */
  public static final String BRANCH_OUTPUT = "BRANCH_OUTPUT";

  /** A run's parameter value does not fit the parameter's type. */
  public static final String INVALID_PARAMETER = "INVALID_PARAMETER";

  /** A run does not set a parameter that has no default. */
  public static final String MISSING_PARAMETER = "MISSING_PARAMETER";

  /**
   * A train step's fine-tuning contradicts the step: freezing, per-part learning rates or a new
   * head without a pretrained model, or a new head for a regression.
   */
  public static final String INVALID_FINE_TUNING = "INVALID_FINE_TUNING";

  /**
   * A train step's early stopping cannot work: it watches the validation loss without a validation
   * set, an unknown metric, a patience below 1 or a negative minDelta.
   */
  public static final String INVALID_EARLY_STOPPING = "INVALID_EARLY_STOPPING";

  /**
   * A label step cannot work as configured: no or duplicate classes, annotators per item outside
   * 1..9, a confidence threshold outside (0, 1] or without a model, a quota above the budget, a
   * completion rule without what it needs, too few annotators assigned.
   */
  public static final String INVALID_LABELING = "INVALID_LABELING";

  /**
   * A deploy step cannot work as configured: a bad endpoint name, a model or version that does not
   * come from a register step of its model name, a setting out of range or one its serving mode or
   * rollout does not use, or two deploy steps to one endpoint.
   */
  public static final String INVALID_DEPLOYMENT = "INVALID_DEPLOYMENT";

  /**
   * Success criteria or a champion/challenger comparison cannot work: a condition uses {@code
   * successCriteria()} in a pipeline that states none, criteria compare with production or name
   * themselves, {@code beats(production())} names no model when the plan registers none or several,
   * reads a metric whose direction is unknown without stating it, or has a negative margin.
   */
  public static final String INVALID_CRITERIA = "INVALID_CRITERIA";

  /**
   * A monitor step cannot work as configured: it watches no deploy step's endpoint, has no baseline
   * dataset, a schedule under a minute, an unknown drift method or one that does not apply to the
   * feature kind, a threshold out of range, a webhook that is not an http(s) URL, retraining
   * without a positive cooldown and limit (or those without retraining), or a second monitor on one
   * endpoint.
   */
  public static final String INVALID_MONITORING = "INVALID_MONITORING";
}
