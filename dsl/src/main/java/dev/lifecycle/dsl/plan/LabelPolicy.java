package dev.lifecycle.dsl.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The enumerations of a label step, with the names they have in JSON. */
public final class LabelPolicy {
  private LabelPolicy() {}

  /** How the answers to one item become its label. */
  public enum Consolidation {
    /** The most frequent answer; ties go to the answer given first. */
    @JsonProperty("majority")
    MAJORITY,
    /** Answers weighted by each annotator's accuracy on gold items (unknown accuracy: 0.5). */
    @JsonProperty("weighted")
    WEIGHTED
  }

  /** How items that the model could not label are ordered for people: most uncertain first. */
  public enum Uncertainty {
    /** 1 minus the top class probability. */
    @JsonProperty("leastConfidence")
    LEAST_CONFIDENCE,
    /** The gap between the two most probable classes (small gap first). */
    @JsonProperty("margin")
    MARGIN,
    /** The entropy of the class probabilities. */
    @JsonProperty("entropy")
    ENTROPY
  }

  /** When a labeling job is done. */
  public enum Completion {
    /** Every item sent to people has its answers. */
    @JsonProperty("all")
    ALL,
    /** A number of items ({@code quota}) is labeled by people. */
    @JsonProperty("quota")
    QUOTA,
    /** The deadline passes; whatever is labeled then is the result. */
    @JsonProperty("deadline")
    DEADLINE
  }

  /** What happens when the deadline passes before the job is complete. */
  public enum Escalation {
    /** Log an escalation and keep waiting (counted in the job's progress). */
    @JsonProperty("notify")
    NOTIFY,
    /** Close the job with the labels it has. */
    @JsonProperty("close")
    CLOSE,
    /** Fail the step. */
    @JsonProperty("fail")
    FAIL
  }
}
