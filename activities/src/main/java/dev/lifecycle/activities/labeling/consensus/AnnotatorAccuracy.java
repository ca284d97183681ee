package dev.lifecycle.activities.labeling.consensus;

import dev.lifecycle.activities.evaluation.ConfusionMatrix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One annotator's record on gold items (items whose true label the job owner knows): how many they
 * answered, how many correctly, the 95% {@link WilsonInterval} of their accuracy, and their
 * confusion matrix (rows: the gold class; columns: the class they answered; both in schema order).
 *
 * <pre>{@code
 * Map<String, AnnotatorAccuracy> byAnnotator =
 *     AnnotatorAccuracy.fromGold(schema, Map.of("item-7", "cat"), answers);
 * byAnnotator.get("ann").interval().low();
 * }</pre>
 *
 * @param annotatorId the annotator
 * @param goldAnswers how many gold items they answered (at least one)
 * @param correct how many of those they answered with the gold label
 * @param confusion gold class by answered class, over the schema's classes
 */
public record AnnotatorAccuracy(
    String annotatorId, long goldAnswers, long correct, ConfusionMatrix confusion) {

  /** Checks the counts agree with each other. */
  public AnnotatorAccuracy {
    Objects.requireNonNull(annotatorId, "annotatorId");
    Objects.requireNonNull(confusion, "confusion");
    if (goldAnswers < 1 || correct < 0 || correct > goldAnswers) {
      throw new IllegalArgumentException(
          "Annotator '"
              + annotatorId
              + "': need 0 <= correct <= goldAnswers and goldAnswers >= 1, got "
              + correct
              + " of "
              + goldAnswers);
    }
  }

  /** The share of gold items answered correctly (the maximum-likelihood estimate). */
  public double accuracy() {
    return (double) correct / goldAnswers;
  }

  /** The 95% Wilson interval of the accuracy. */
  public WilsonInterval interval() {
    return WilsonInterval.of(correct, goldAnswers);
  }

  /**
   * Every annotator's accuracy on the gold items among {@code items}, by annotator id in sorted
   * order. Items without a gold label are ignored; annotators who answered no gold item are absent
   * (their vote weight falls back to the prior of {@link AnnotatorWeights}).
   *
   * @param gold the true label of each gold item, by item id
   * @throws ConsensusInputException naming the item (and annotator and label) when a gold label or
   *     an answer to a gold item is not a class of the schema
   */
  public static Map<String, AnnotatorAccuracy> fromGold(
      LabelClasses schema, Map<String, String> gold, Collection<ItemAnswers> items) {
    Map<String, List<int[]>> pairs = new TreeMap<>();
    for (ItemAnswers item : items) {
      String goldLabel = gold.get(item.itemId());
      if (goldLabel == null) {
        continue;
      }
      int truth = goldIndex(schema, item.itemId(), goldLabel);
      for (Answer a : item.answers()) {
        int answered = schema.requireClass(item.itemId(), a.annotatorId(), a.label());
        pairs
            .computeIfAbsent(a.annotatorId(), k -> new ArrayList<>())
            .add(new int[] {truth, answered});
      }
    }
    Map<String, AnnotatorAccuracy> result = new TreeMap<>();
    pairs.forEach((annotator, list) -> result.put(annotator, of(annotator, list, schema)));
    return Collections.unmodifiableMap(result);
  }

  private static int goldIndex(LabelClasses schema, String itemId, String goldLabel) {
    int index = schema.indexOf(goldLabel);
    if (index < 0) {
      throw new ConsensusInputException(
          itemId,
          null,
          goldLabel,
          "the gold label is not a class of the label schema " + schema.classes());
    }
    return index;
  }

  private static AnnotatorAccuracy of(String annotator, List<int[]> pairs, LabelClasses schema) {
    int[] truth = new int[pairs.size()];
    int[] answered = new int[pairs.size()];
    long correct = 0;
    for (int i = 0; i < truth.length; i++) {
      truth[i] = pairs.get(i)[0];
      answered[i] = pairs.get(i)[1];
      correct += truth[i] == answered[i] ? 1 : 0;
    }
    return new AnnotatorAccuracy(
        annotator,
        truth.length,
        correct,
        ConfusionMatrix.ofClassIndices(truth, answered, schema.classes()));
  }
}
