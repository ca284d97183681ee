package dev.lifecycle.activities.labeling.consensus;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * All answers collected so far for one item, at most one per annotator (the store makes a
 * submission idempotent per annotator and item, so a second answer here is a caller's bug).
 *
 * @param itemId the item
 * @param answers its answers, in the order they were given
 */
public record ItemAnswers(String itemId, List<Answer> answers) {
  /** Copies {@code answers} and rejects an annotator answering twice. */
  public ItemAnswers {
    Objects.requireNonNull(itemId, "itemId");
    answers = List.copyOf(answers);
    Set<String> annotators = new HashSet<>();
    for (Answer a : answers) {
      if (!annotators.add(a.annotatorId())) {
        throw new ConsensusInputException(
            itemId, a.annotatorId(), null, "the annotator answered this item more than once");
      }
    }
  }

  /** Shorthand for {@code new ItemAnswers(itemId, List.of(answers))}. */
  public static ItemAnswers of(String itemId, Answer... answers) {
    return new ItemAnswers(itemId, List.of(answers));
  }
}
