package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy.Completion;
import dev.lifecycle.dsl.plan.LabelPolicy.Consolidation;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import dev.lifecycle.dsl.plan.LabelPolicy.Uncertainty;
import dev.lifecycle.dsl.plan.LabelSchema;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.Operand;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sends a dataset to people for labeling, optionally auto-labeling what a model is sure of.
 *
 * <pre>{@code
 * LabelBuilder label = p.label("label", ingest.dataset())
 *     .classes("shirt", "sneaker", "bag")
 *     .instructions("Pick what the picture shows.")
 *     .annotatorsPerItem(3)
 *     .weightedByGold("known")                 // accuracy on rows whose 'known' is set
 *     .autoLabel(base.model(), 0.95)           // or autoLabel("registry:fashion/production", 0.95)
 *     .uncertainty(Uncertainty.MARGIN)
 *     .budget(500)
 *     .deadline(Duration.ofDays(7)).remindEvery(Duration.ofDays(1)).onDeadline(Escalation.CLOSE)
 *     .completeAtQuota(300)
 *     .annotators("ana", "ben", "chen", "dee", "eli")
 *     .moreAnnotatorsBelow(0.7, 5);           // low agreement: up to 5 answers per item
 * p.train("train", label.dataset()).label("label").classification();
 * }</pre>
 *
 * <p>Defaults: one annotator per item, majority vote, no model, no budget, no deadline, complete
 * when every item sent to people is labeled, escalation {@code notify}, no extra annotators.
 */
public final class LabelBuilder extends StepBuilder<LabelBuilder> {
  private final Artifact.Dataset dataset;
  private final List<String> classes = new ArrayList<>();
  private boolean freeText;
  private String instructions;
  private int annotatorsPerItem = 1;
  private Consolidation consolidation = Consolidation.MAJORITY;
  private String goldColumn;
  private Operand model;
  private Double confidenceThreshold;
  private Uncertainty uncertainty;
  private Integer budget;
  private Duration deadline;
  private Duration reminderInterval;
  private Escalation escalation = Escalation.NOTIFY;
  private Completion completion = Completion.ALL;
  private Integer quota;
  private final List<String> annotators = new ArrayList<>();
  private Double agreementThreshold;
  private Integer maxAnnotatorsPerItem;
  private Integer retrainEvery;
  private Integer retrainEpochs;
  private Double retrainLearningRate;

  LabelBuilder(String name, Artifact.Dataset dataset) {
    super(name);
    this.dataset = dataset;
  }

  /** The allowed answers (required unless {@link #freeText()}). */
  public LabelBuilder classes(String... classes) {
    this.classes.addAll(Arrays.asList(classes));
    return this;
  }

  /** Accept any short text as an answer; classes, if given, are suggestions. */
  public LabelBuilder freeText() {
    this.freeText = true;
    return this;
  }

  /** What labelers read before answering. */
  public LabelBuilder instructions(String instructions) {
    this.instructions = instructions;
    return this;
  }

  /** How many people answer each item, 1 to 9; default 1. */
  public LabelBuilder annotatorsPerItem(int count) {
    this.annotatorsPerItem = count;
    return this;
  }

  /** Consolidate by majority vote (the default). */
  public LabelBuilder majority() {
    this.consolidation = Consolidation.MAJORITY;
    return this;
  }

  /**
   * Weigh each answer by its annotator's accuracy on gold items: the rows whose {@code goldColumn}
   * holds a known answer.
   */
  public LabelBuilder weightedByGold(String goldColumn) {
    this.consolidation = Consolidation.WEIGHTED;
    this.goldColumn = goldColumn;
    return this;
  }

  /** Rows whose {@code goldColumn} is set are gold items, whatever the consolidation. */
  public LabelBuilder gold(String goldColumn) {
    this.goldColumn = goldColumn;
    return this;
  }

  /** Label automatically the items {@code model} classifies with at least {@code threshold}. */
  public LabelBuilder autoLabel(Artifact.Model model, double threshold) {
    this.model = model.operand();
    this.confidenceThreshold = threshold;
    return this;
  }

  /** Like {@link #autoLabel(Artifact.Model, double)} with a {@code registry:} reference. */
  public LabelBuilder autoLabel(String registryReference, double threshold) {
    this.model = new Literal(registryReference);
    this.confidenceThreshold = threshold;
    return this;
  }

  /** Use {@code model} only to order items for people, most uncertain first. */
  public LabelBuilder orderBy(Artifact.Model model, Uncertainty uncertainty) {
    this.model = model.operand();
    this.uncertainty = uncertainty;
    return this;
  }

  /** How items are ordered for people when a model is given; default least confidence. */
  public LabelBuilder uncertainty(Uncertainty uncertainty) {
    this.uncertainty = uncertainty;
    return this;
  }

  /** Send at most {@code items} items to people. */
  public LabelBuilder budget(int items) {
    this.budget = items;
    return this;
  }

  /** How long people have. */
  public LabelBuilder deadline(Duration deadline) {
    this.deadline = deadline;
    return this;
  }

  /** Remind labelers with open items this often. */
  public LabelBuilder remindEvery(Duration interval) {
    this.reminderInterval = interval;
    return this;
  }

  /** What happens when the deadline passes unfinished; default notify. */
  public LabelBuilder onDeadline(Escalation escalation) {
    this.escalation = escalation;
    return this;
  }

  /** Done when every item sent to people is labeled (the default). */
  public LabelBuilder completeWhenAll() {
    this.completion = Completion.ALL;
    this.quota = null;
    return this;
  }

  /** Done when people have labeled {@code items} items. */
  public LabelBuilder completeAtQuota(int items) {
    this.completion = Completion.QUOTA;
    this.quota = items;
    return this;
  }

  /** Done when the deadline passes. */
  public LabelBuilder completeAtDeadline() {
    this.completion = Completion.DEADLINE;
    this.quota = null;
    return this;
  }

  /** The annotators assigned to the job, by name. */
  public LabelBuilder annotators(String... names) {
    this.annotators.addAll(Arrays.asList(names));
    return this;
  }

  /**
   * Items whose answers agree less than {@code agreement} (the share of answer weight on the
   * consolidated label) get more annotators, up to {@code maxAnnotators} in all (at most 9, and no
   * more than the annotators assigned). With 3 per item and {@code (0.7, 5)}, a 2-to-1 item (0.67)
   * goes to one more annotator, then a 3-to-1 item (0.75) is settled. Default: never.
   */
  public LabelBuilder moreAnnotatorsBelow(double agreement, int maxAnnotators) {
    this.agreementThreshold = agreement;
    this.maxAnnotatorsPerItem = maxAnnotators;
    return this;
  }

  /**
   * The Ground Truth loop: after every {@code humanLabels} items labeled by people, fine-tune the
   * auto-labeling model on the labels so far and re-score the items nobody has answered yet, so
   * that those it is now sure of are auto-labeled and the rest come most uncertain first. Needs
   * {@link #autoLabel} or {@link #orderBy}. Default: never.
   */
  public LabelBuilder retrainEvery(int humanLabels) {
    this.retrainEvery = humanLabels;
    return this;
  }

  /**
   * Like {@link #retrainEvery(int)}, fine-tuning for {@code epochs} (default 10) with Adam's {@code
   * learningRate} (default 0.001).
   */
  public LabelBuilder retrainEvery(int humanLabels, int epochs, double learningRate) {
    this.retrainEvery = humanLabels;
    this.retrainEpochs = epochs;
    this.retrainLearningRate = learningRate;
    return this;
  }

  /** The labeled dataset: the input rows, their {@code label} and provenance columns. */
  public Artifact.Dataset dataset() {
    return new Artifact.Dataset(name(), "dataset");
  }

  /** The manifest: each item's label with its provenance (a report). */
  public Value<String> manifest() {
    return () -> new OutputRef(name(), "manifest");
  }

  /** A metric of this step: {@code labeled}, {@code auto_labeled}, {@code human_labeled}, ... */
  public Metric metric(String metric) {
    return new Metric(name(), metric);
  }

  @Override
  Step build() {
    return new Label(
        name(),
        dataset == null ? null : dataset.operand(),
        new LabelSchema(classes, freeText),
        instructions,
        annotatorsPerItem,
        consolidation,
        goldColumn,
        model,
        confidenceThreshold,
        uncertainty,
        budget,
        deadline,
        reminderInterval,
        escalation,
        completion,
        quota,
        annotators,
        agreementThreshold,
        maxAnnotatorsPerItem,
        retrainEvery,
        retrainEpochs,
        retrainLearningRate,
        options(),
        afterNames());
  }
}
