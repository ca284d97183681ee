package dev.lifecycle.activities.labeling;

import dev.lifecycle.activities.labeling.LabelingRecords.ConsolidatedLabel;
import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.labeling.LabelingRecords.Source;
import dev.lifecycle.activities.labeling.LabelingRecords.StoredAnswer;
import dev.lifecycle.activities.labeling.consensus.AnnotatorAccuracy;
import dev.lifecycle.activities.labeling.consensus.AnnotatorWeights;
import dev.lifecycle.activities.labeling.consensus.Answer;
import dev.lifecycle.activities.labeling.consensus.Consensus;
import dev.lifecycle.activities.labeling.consensus.ConsensusOptions;
import dev.lifecycle.activities.labeling.consensus.ItemAnswers;
import dev.lifecycle.activities.labeling.consensus.ItemConsensus;
import dev.lifecycle.activities.labeling.consensus.LabelClasses;
import dev.lifecycle.dsl.plan.LabelPolicy.Consolidation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a job's items and answers into one label per item with its provenance: the known answer of
 * a gold item, the model's label of an auto-labeled item, the consensus of people's answers
 * (majority, or weighted by each annotator's accuracy on the gold items), or none.
 */
final class Consolidator {
  private Consolidator() {}

  /**
   * The labels of {@code items}, in their order.
   *
   * @param classes the step's classes; free-text answers outside them join the vote as classes
   */
  static List<ConsolidatedLabel> consolidate(
      List<String> classes,
      Consolidation consolidation,
      List<Item> items,
      Map<Long, List<StoredAnswer>> answers) {
    Votes votes = Votes.of(classes, consolidation, items, answers);
    LabelClasses schema = votes.schema();
    AnnotatorWeights weights = votes.weights();
    ConsensusOptions options = ConsensusOptions.defaults();
    List<ConsolidatedLabel> labels = new ArrayList<>(items.size());
    for (Item item : items) {
      List<StoredAnswer> given = answers.getOrDefault(item.key(), List.of());
      List<String> who = given.stream().map(StoredAnswer::annotator).toList();
      if (item.goldLabel() != null) {
        Double agreement =
            given.isEmpty()
                ? null
                : given.stream().filter(a -> a.answer().equals(item.goldLabel())).count()
                    / (double) given.size();
        labels.add(
            new ConsolidatedLabel(item.key(), item.goldLabel(), Source.GOLD, who, agreement, null));
      } else if (item.route() == Route.AUTO) {
        labels.add(
            new ConsolidatedLabel(
                item.key(),
                item.modelLabel(),
                Source.AUTO,
                List.of(),
                null,
                item.modelConfidence()));
      } else if (!given.isEmpty()) {
        ItemConsensus consensus =
            Consensus.consolidate(
                schema, itemAnswers(String.valueOf(item.key()), given), weights, options);
        labels.add(
            new ConsolidatedLabel(
                item.key(),
                consensus.label().orElse(null),
                consensus.label().isPresent() ? Source.HUMAN : Source.NONE,
                who,
                consensus.agreement(),
                null));
      } else {
        labels.add(new ConsolidatedLabel(item.key(), null, Source.NONE, List.of(), null, null));
      }
    }
    return labels;
  }

  /**
   * How many answers the unsettled items should need now: every item for people (not gold) that has
   * all the answers it needs and whose consensus is below {@code options}' agreement threshold, or
   * tied, gets the extra annotators {@link Consensus} asks for, capped at {@code options}' maximum
   * and at {@code members}, the annotators who could answer at all. Items whose count would not
   * grow are left out.
   *
   * @param wanted the items that need a count other than {@code perItem} already
   */
  static Map<Long, Integer> moreAnnotators(
      List<String> classes,
      Consolidation consolidation,
      List<Item> items,
      Map<Long, List<StoredAnswer>> answers,
      Map<Long, Integer> wanted,
      int perItem,
      ConsensusOptions options,
      int members) {
    Votes votes = Votes.of(classes, consolidation, items, answers);
    Map<Long, Integer> more = new LinkedHashMap<>();
    for (Item item : items) {
      if (item.route() != Route.PEOPLE || item.goldLabel() != null) {
        continue;
      }
      int needed = wanted.getOrDefault(item.key(), perItem);
      List<StoredAnswer> given = answers.getOrDefault(item.key(), List.of());
      if (given.isEmpty() || given.size() < needed) {
        continue;
      }
      ItemConsensus consensus =
          Consensus.consolidate(
              votes.schema(),
              itemAnswers(String.valueOf(item.key()), given),
              votes.weights(),
              options);
      int count =
          Math.min(
              Math.min(options.maxAnnotatorsPerItem(), members),
              given.size() + consensus.additionalAnnotators());
      if (consensus.needsMoreAnnotators() && count > needed) {
        more.put(item.key(), count);
      }
    }
    return more;
  }

  /** The vote's classes (free-text answers included) and each annotator's weight. */
  private record Votes(LabelClasses schema, AnnotatorWeights weights) {
    static Votes of(
        List<String> classes,
        Consolidation consolidation,
        List<Item> items,
        Map<Long, List<StoredAnswer>> answers) {
      Set<String> vocabulary = new LinkedHashSet<>(classes);
      Set<String> extra = new TreeSet<>();
      answers.values().forEach(list -> list.forEach(a -> extra.add(a.answer())));
      items.forEach(
          i -> {
            if (i.goldLabel() != null) {
              extra.add(i.goldLabel());
            }
          });
      vocabulary.addAll(extra);
      LabelClasses schema = new LabelClasses(new ArrayList<>(vocabulary));
      AnnotatorWeights weights = AnnotatorWeights.uniform();
      if (consolidation == Consolidation.WEIGHTED && schema.size() >= 2) {
        Map<String, String> gold = new LinkedHashMap<>();
        List<ItemAnswers> goldAnswers = new ArrayList<>();
        for (Item item : items) {
          if (item.goldLabel() != null && answers.containsKey(item.key())) {
            String id = String.valueOf(item.key());
            gold.put(id, item.goldLabel());
            goldAnswers.add(itemAnswers(id, answers.get(item.key())));
          }
        }
        Map<String, AnnotatorAccuracy> accuracy =
            AnnotatorAccuracy.fromGold(schema, gold, goldAnswers);
        weights = AnnotatorWeights.fromAccuracy(schema, accuracy);
      }
      return new Votes(schema, weights);
    }
  }

  private static ItemAnswers itemAnswers(String id, List<StoredAnswer> given) {
    return new ItemAnswers(
        id, given.stream().map(a -> Answer.of(a.annotator(), a.answer())).toList());
  }
}
