package dev.lifecycle.activities.labeling.consensus;

import java.util.Optional;

/**
 * Answers, gold labels or model probabilities that cannot be consolidated or ranked, e.g. an answer
 * outside the label schema. The message names the offending item and, where there is one, the
 * annotator and the label, so that callers can turn it into a 4xx response or a non-retryable
 * activity failure without rewording it.
 */
public class ConsensusInputException extends IllegalArgumentException {
  private final String itemId;
  private final String annotatorId;
  private final String label;

  /** A problem with one item as a whole (no annotator or label involved). */
  public ConsensusInputException(String itemId, String problem) {
    this(itemId, null, null, problem);
  }

  /**
   * A problem with one answer; {@code annotatorId} and {@code label} may be {@code null} when they
   * do not apply.
   */
  public ConsensusInputException(String itemId, String annotatorId, String label, String problem) {
    super(message(itemId, annotatorId, label, problem));
    this.itemId = itemId;
    this.annotatorId = annotatorId;
    this.label = label;
  }

  private static String message(String itemId, String annotatorId, String label, String problem) {
    StringBuilder s = new StringBuilder();
    if (itemId != null) {
      s.append("Item '").append(itemId).append("'");
    }
    if (annotatorId != null) {
      s.append(s.isEmpty() ? "Annotator '" : ", annotator '").append(annotatorId).append("'");
    }
    if (label != null) {
      s.append(s.isEmpty() ? "Label '" : ", label '").append(label).append("'");
    }
    return s.isEmpty() ? problem : s + ": " + problem;
  }

  /** The item the problem is about, when there is one. */
  public Optional<String> itemId() {
    return Optional.ofNullable(itemId);
  }

  /** The annotator whose answer is at fault, when there is one. */
  public Optional<String> annotatorId() {
    return Optional.ofNullable(annotatorId);
  }

  /** The offending label, when there is one. */
  public Optional<String> label() {
    return Optional.ofNullable(label);
  }
}
