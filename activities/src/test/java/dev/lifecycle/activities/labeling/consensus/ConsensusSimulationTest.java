package dev.lifecycle.activities.labeling.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three simulated annotators with known error rates label 2,000 items of 10 classes; a wrong answer
 * is uniform over the nine other classes (the one-coin model the weights assume). The first 400
 * items are gold; consensus is scored on the other 1,600.
 */
class ConsensusSimulationTest {
  private static final int ITEMS = 2_000;
  private static final int GOLD = 400;
  private static final int CLASSES = 10;
  private static final String[] ANNOTATORS = {"careful", "average", "sloppy"};
  private static final double[] ERROR_RATES = {0.05, 0.15, 0.30};
  private static final LabelClasses SCHEMA =
      new LabelClasses(IntStream.range(0, CLASSES).mapToObj(i -> "class-" + i).toList());

  private static int[] truth;
  private static List<ItemAnswers> items;
  private static Map<String, String> gold;

  @BeforeAll
  static void simulate() {
    SplittableRandom random = new SplittableRandom(20_261_128L);
    truth = new int[ITEMS];
    items = new ArrayList<>(ITEMS);
    gold = new HashMap<>();
    for (int i = 0; i < ITEMS; i++) {
      truth[i] = random.nextInt(CLASSES);
      List<Answer> answers = new ArrayList<>();
      for (int a = 0; a < ANNOTATORS.length; a++) {
        int label = truth[i];
        if (random.nextDouble() < ERROR_RATES[a]) {
          label = (truth[i] + 1 + random.nextInt(CLASSES - 1)) % CLASSES;
        }
        answers.add(Answer.of(ANNOTATORS[a], SCHEMA.classes().get(label)));
      }
      String id = "item-" + i;
      items.add(new ItemAnswers(id, answers));
      if (i < GOLD) {
        gold.put(id, SCHEMA.classes().get(truth[i]));
      }
    }
  }

  @Test
  void estimatedAccuraciesHaveTheTrueRatesInTheirWilsonIntervals() {
    Map<String, AnnotatorAccuracy> accuracy = AnnotatorAccuracy.fromGold(SCHEMA, gold, items);

    for (int a = 0; a < ANNOTATORS.length; a++) {
      AnnotatorAccuracy acc = accuracy.get(ANNOTATORS[a]);
      assertEquals(GOLD, acc.goldAnswers());
      double trueAccuracy = 1 - ERROR_RATES[a];
      assertTrue(
          acc.interval().contains(trueAccuracy),
          ANNOTATORS[a] + ": true " + trueAccuracy + " outside " + acc.interval());
      assertEquals(acc.correct(), trace(acc));
    }
  }

  @Test
  void weightedConsensusBeatsMajorityAndTheBestAnnotator() {
    AnnotatorWeights weights =
        AnnotatorWeights.fromAccuracy(SCHEMA, AnnotatorAccuracy.fromGold(SCHEMA, gold, items));
    List<ItemAnswers> scored = items.subList(GOLD, ITEMS);
    ConsensusOptions options = ConsensusOptions.defaults();

    int majorityRight = 0;
    int weightedRight = 0;
    int[] annotatorRight = new int[ANNOTATORS.length];
    for (int i = 0; i < scored.size(); i++) {
      ItemAnswers item = scored.get(i);
      String trueLabel = SCHEMA.classes().get(truth[GOLD + i]);
      ItemConsensus majority = Consensus.majority(SCHEMA, item, options);
      ItemConsensus weighted = Consensus.consolidate(SCHEMA, item, weights, options);
      majorityRight += majority.label().equals(Optional.of(trueLabel)) ? 1 : 0;
      weightedRight += weighted.label().equals(Optional.of(trueLabel)) ? 1 : 0;
      for (int a = 0; a < ANNOTATORS.length; a++) {
        annotatorRight[a] += item.answers().get(a).label().equals(trueLabel) ? 1 : 0;
      }
      // Where two or three annotators agree, both votes pick their class: the weights let any two
      // annotators outvote the third (w2 + w3 > w1). They differ only on three-way splits.
      if (!majority.tie()) {
        assertEquals(majority.label(), weighted.label(), item.itemId());
      }
    }
    int best = IntStream.of(annotatorRight).max().orElseThrow();
    double n = scored.size();
    String summary =
        String.format(
            "weighted %.4f, majority %.4f, best annotator %.4f",
            weightedRight / n, majorityRight / n, best / n);
    assertTrue(weightedRight > majorityRight, summary);
    assertTrue(weightedRight > best, summary);
    // Under the one-coin model the weighted vote errs when the careful annotator errs and the other
    // two do not both answer right, or when the other two agree on the same wrong class:
    // 0.05 * (1 - 0.85 * 0.7) + 0.95 * 0.15 * 0.3 / 9 = 2.5%.
    assertTrue(weightedRight / n > 0.96, summary);
  }

  @Test
  void escalatesOnlyDisagreements() {
    ConsensusOptions options = ConsensusOptions.defaults();
    for (ItemAnswers item : items) {
      ItemConsensus c = Consensus.majority(SCHEMA, item, options);
      long distinct = item.answers().stream().map(Answer::label).distinct().count();
      // 3 of 3 or 2 of 3 settle an item at the default threshold 0.6; a three-way split needs two
      // more agreeing annotators to reach 3 of 5.
      assertEquals(distinct == 3 ? 2 : 0, c.additionalAnnotators(), item.itemId());
    }
  }

  private static long trace(AnnotatorAccuracy acc) {
    long t = 0;
    for (int c = 0; c < CLASSES; c++) {
      t += acc.confusion().count(c, c);
    }
    return t;
  }
}
