package dev.lifecycle.activities.labeling.consensus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Consolidates the answers to an item into one label by weighted plurality vote: each class scores
 * the summed {@link AnnotatorWeights weight} of the annotators who chose it, and the highest score
 * wins. With {@link AnnotatorWeights#uniform()} this is majority vote.
 *
 * <p><b>Agreement</b> is the winning class's share of the total weight. <b>Ties</b> are classes
 * whose scores are equal up to a relative 1e-9 (weights are sums of logarithms, so exact equality
 * would miss ties such as {@code w1 + w2 = w3 + w4}); they are reported in {@link
 * ItemConsensus#tiedLabels()} and labelled by {@link ConsensusOptions#tiePolicy()}.
 *
 * <p><b>More annotators.</b> An item is unsettled when it is tied or its agreement is below {@link
 * ConsensusOptions#agreementThreshold()} {@code t}. It then gets the fewest extra annotators {@code
 * k >= 1} who, each bringing the {@link AnnotatorWeights#priorWeight() weight of an unmeasured
 * annotator} {@code w} and all agreeing with the current leader, would lift the agreement to {@code
 * t}:
 *
 * <pre>
 *   (lead + k·w) / (total + k·w) >= t   ⇔   k >= (t·total − lead) / ((1 − t)·w)
 * </pre>
 *
 * <p>capped so that the item never has more than {@link ConsensusOptions#maxAnnotatorsPerItem()}
 * annotators (with {@code t = 1}, or {@code w = 0}, every remaining place). This is the optimistic
 * count: the caller consolidates again when they have answered and may escalate again, until the
 * cap. An item at the cap keeps its label (or none, for an unresolved tie) with no more requests.
 *
 * <pre>{@code
 * LabelClasses schema = LabelClasses.of("cat", "dog");
 * ItemConsensus c = Consensus.majority(schema,
 *     ItemAnswers.of("img-1", Answer.of("ann", "cat"), Answer.of("bob", "dog")),
 *     ConsensusOptions.defaults());
 * c.tie();                    // true
 * c.additionalAnnotators();   // 1
 * }</pre>
 */
public final class Consensus {
  private static final double TIE_TOLERANCE = 1e-9;

  private Consensus() {}

  /** Majority vote: every answer weighs 1. */
  public static ItemConsensus majority(
      LabelClasses schema, ItemAnswers item, ConsensusOptions options) {
    return consolidate(schema, item, AnnotatorWeights.uniform(), options);
  }

  /**
   * Weighted vote.
   *
   * @throws ConsensusInputException naming the item when it has no answers, or the item, annotator
   *     and label when an answer is not a class of the schema
   */
  public static ItemConsensus consolidate(
      LabelClasses schema, ItemAnswers item, AnnotatorWeights weights, ConsensusOptions options) {
    if (item.answers().isEmpty()) {
      throw new ConsensusInputException(item.itemId(), "no answers to consolidate");
    }
    int k = schema.size();
    double[] score = new double[k];
    boolean[] voted = new boolean[k];
    int[] choice = new int[item.answers().size()];
    double total = 0;
    for (int i = 0; i < choice.length; i++) {
      Answer a = item.answers().get(i);
      choice[i] = schema.requireClass(item.itemId(), a.annotatorId(), a.label());
      double w = weights.weight(a.annotatorId());
      score[choice[i]] += w;
      voted[choice[i]] = true;
      total += w;
    }
    double top = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      if (voted[c]) {
        top = Math.max(top, score[c]);
      }
    }
    double tolerance = TIE_TOLERANCE * Math.max(1.0, total);
    List<Integer> leaders = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      if (voted[c] && top - score[c] <= tolerance) {
        leaders.add(c);
      }
    }
    boolean tie = leaders.size() > 1;
    int leader = leaders.get(0);
    double agreement = total > 0 ? Math.min(1.0, score[leader] / total) : 0.0;

    Optional<String> label =
        tie && options.tiePolicy() == TiePolicy.UNRESOLVED
            ? Optional.empty()
            : Optional.of(schema.classes().get(leader));
    List<String> tiedLabels = new ArrayList<>();
    if (tie) {
      leaders.forEach(c -> tiedLabels.add(schema.classes().get(c)));
    }
    Map<String, Double> votes = new LinkedHashMap<>();
    for (int c = 0; c < k; c++) {
      if (voted[c]) {
        votes.put(schema.classes().get(c), score[c]);
      }
    }
    List<String> annotators = new ArrayList<>();
    List<String> agreeing = new ArrayList<>();
    for (int i = 0; i < choice.length; i++) {
      String annotator = item.answers().get(i).annotatorId();
      annotators.add(annotator);
      if (label.isPresent() && choice[i] == leader) {
        agreeing.add(annotator);
      }
    }
    int more =
        additionalAnnotators(
            tie, score[leader], total, choice.length, weights.priorWeight(), options);
    return new ItemConsensus(
        item.itemId(), label, tiedLabels, agreement, votes, annotators, agreeing, more);
  }

  /** {@link #consolidate} for each item, in order. */
  public static List<ItemConsensus> consolidateAll(
      LabelClasses schema,
      Collection<ItemAnswers> items,
      AnnotatorWeights weights,
      ConsensusOptions options) {
    List<ItemConsensus> result = new ArrayList<>(items.size());
    for (ItemAnswers item : items) {
      result.add(consolidate(schema, item, weights, options));
    }
    return result;
  }

  private static int additionalAnnotators(
      boolean tie,
      double lead,
      double total,
      int answered,
      double newWeight,
      ConsensusOptions options) {
    double t = options.agreementThreshold();
    double agreement = total > 0 ? lead / total : 0.0;
    boolean settled = !tie && agreement >= t - TIE_TOLERANCE;
    int room = options.maxAnnotatorsPerItem() - answered;
    if (settled || room <= 0) {
      return 0;
    }
    if (t >= 1 || newWeight <= 0) {
      return room;
    }
    double needed = Math.ceil((t * total - lead) / ((1 - t) * newWeight) - TIE_TOLERANCE);
    return (int) Math.min(room, Math.max(1.0, needed));
  }
}
