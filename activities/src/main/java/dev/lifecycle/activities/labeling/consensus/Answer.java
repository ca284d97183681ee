package dev.lifecycle.activities.labeling.consensus;

import java.util.Objects;

/**
 * One annotator's answer to one item.
 *
 * @param annotatorId who answered
 * @param label the class chosen; checked against the {@link LabelClasses} when consolidated
 * @param text the annotator's free-text answer or comment, or {@code null} when the job asks for
 *     none; it never takes part in the vote
 */
public record Answer(String annotatorId, String label, String text) {
  /** Requires an annotator and a label. */
  public Answer {
    Objects.requireNonNull(annotatorId, "annotatorId");
    Objects.requireNonNull(label, "label");
  }

  /** An answer without free text. */
  public static Answer of(String annotatorId, String label) {
    return new Answer(annotatorId, label, null);
  }
}
