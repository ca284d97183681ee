package dev.lifecycle.activities.labeling.consensus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One item's consolidated label with its provenance.
 *
 * @param itemId the item
 * @param label the winning class; empty only for a tie under {@link TiePolicy#UNRESOLVED}
 * @param tiedLabels the classes sharing the top vote weight, in schema order, when there are two or
 *     more; empty when one class leads
 * @param agreement the share of the total vote weight on the winning class (on any one of the tied
 *     classes for a tie), in [0, 1]; 0 when every vote weighs nothing
 * @param votes total vote weight per class that received an answer, in schema order
 * @param annotators every annotator who answered, in answer order
 * @param agreeing the annotators who chose {@link #label()}, in answer order
 * @param additionalAnnotators how many more annotators the item should get; 0 when it is settled or
 *     already has the maximum
 */
public record ItemConsensus(
    String itemId,
    Optional<String> label,
    List<String> tiedLabels,
    double agreement,
    Map<String, Double> votes,
    List<String> annotators,
    List<String> agreeing,
    int additionalAnnotators) {

  /** Copies the collections, keeping the order of {@code votes}. */
  public ItemConsensus {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(label, "label");
    tiedLabels = List.copyOf(tiedLabels);
    votes = Collections.unmodifiableMap(new LinkedHashMap<>(votes));
    annotators = List.copyOf(annotators);
    agreeing = List.copyOf(agreeing);
  }

  /** Whether two or more classes share the top vote weight. */
  public boolean tie() {
    return !tiedLabels.isEmpty();
  }

  /** Whether the item should be sent to {@link #additionalAnnotators()} more annotators. */
  public boolean needsMoreAnnotators() {
    return additionalAnnotators > 0;
  }
}
