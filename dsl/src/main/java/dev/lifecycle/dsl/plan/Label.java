package dev.lifecycle.dsl.plan;

import dev.lifecycle.dsl.plan.LabelPolicy.Completion;
import dev.lifecycle.dsl.plan.LabelPolicy.Consolidation;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import dev.lifecycle.dsl.plan.LabelPolicy.Uncertainty;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Has people label a dataset: each row becomes an item that {@code annotatorsPerItem} of the
 * assigned {@code annotators} answer; their answers are consolidated into the row's label. With a
 * {@code model}, rows it classifies with at least {@code confidenceThreshold} are labeled
 * automatically and the rest go to people most uncertain first. The step waits (durably, for weeks
 * if need be) until its completion rule holds.
 *
 * <p>Outputs: {@code dataset}, the input rows with a {@code label} column and provenance columns,
 * and {@code manifest}, a report with each item's provenance. Metrics: {@code labeled}, {@code
 * auto_labeled}, {@code human_labeled}, {@code agreement} (mean share of answers that agree with
 * the consolidated label), {@code more_annotators} (items that got extra annotators because their
 * answers disagreed).
 *
 * @param dataset the rows to label (tabular or image Parquet)
 * @param schema the allowed answers
 * @param instructions shown to labelers, or {@code null}
 * @param annotatorsPerItem how many people answer each item (1 to 9)
 * @param consolidation how answers become a label; default majority
 * @param goldColumn a column of {@code dataset} holding known answers for some rows (gold items,
 *     which measure annotator accuracy), or {@code null}
 * @param model a model output of an earlier step or a {@code registry:} string that labels items
 *     automatically, or {@code null}
 * @param confidenceThreshold the least top-class probability at which the model labels an item, in
 *     (0, 1], or {@code null} to order items by uncertainty without auto-labeling
 * @param uncertainty how items for people are ordered when a model is given; default least
 *     confidence
 * @param budget the most items sent to people, or {@code null} for no limit
 * @param deadline how long people have, or {@code null} for no deadline
 * @param reminderInterval how often labelers with open items are reminded, or {@code null}
 * @param escalation what happens when the deadline passes unfinished; default notify
 * @param completion when the job is done; default all
 * @param quota for {@link Completion#QUOTA}, how many items people must label
 * @param annotators the names of the annotators assigned to the job
 * @param agreementThreshold the least agreement (share of answer weight on the consolidated label)
 *     at which an item is settled; an item below it gets more annotators, up to {@code
 *     maxAnnotatorsPerItem}; {@code null} never asks for more
 * @param maxAnnotatorsPerItem the most annotators one item may get with extra annotators (at most
 *     9), or {@code null} when {@code agreementThreshold} is not set
 * @param retrainEvery with a model, after every this many items labeled by people the model is
 *     fine-tuned on the labels so far and re-scores the items nobody has answered yet: those it is
 *     now sure of are auto-labeled, the rest re-ordered (the Ground Truth loop); {@code null} never
 *     retrains
 * @param retrainEpochs epochs of each fine-tuning, or {@code null} for {@value #RETRAIN_EPOCHS}
 * @param retrainLearningRate Adam's learning rate of each fine-tuning, or {@code null} for {@value
 *     #RETRAIN_LEARNING_RATE}
 */
@Step.Kind("label")
public record Label(
    String name,
    OutputRef dataset,
    LabelSchema schema,
    String instructions,
    int annotatorsPerItem,
    Consolidation consolidation,
    String goldColumn,
    Operand model,
    Double confidenceThreshold,
    Uncertainty uncertainty,
    Integer budget,
    Duration deadline,
    Duration reminderInterval,
    Escalation escalation,
    Completion completion,
    Integer quota,
    List<String> annotators,
    Double agreementThreshold,
    Integer maxAnnotatorsPerItem,
    Integer retrainEvery,
    Integer retrainEpochs,
    Double retrainLearningRate,
    StepOptions options,
    List<String> after)
    implements Step {

  /** The metrics a label step reports. */
  public static final List<String> METRICS =
      List.of("labeled", "auto_labeled", "human_labeled", "agreement", "more_annotators");

  /** Default epochs of each fine-tuning of the Ground Truth loop ({@code retrainEvery}). */
  public static final int RETRAIN_EPOCHS = 10;

  /** Rows per optimiser step of that fine-tuning. */
  public static final int RETRAIN_BATCH_SIZE = 32;

  /** Default Adam's learning rate of that fine-tuning. */
  public static final double RETRAIN_LEARNING_RATE = 1e-3;

  /** {@code retrainEpochs} or its default. */
  public int retrainEpochsOrDefault() {
    return retrainEpochs == null ? RETRAIN_EPOCHS : retrainEpochs;
  }

  /** {@code retrainLearningRate} or its default. */
  public double retrainLearningRateOrDefault() {
    return retrainLearningRate == null ? RETRAIN_LEARNING_RATE : retrainLearningRate;
  }

  public Label {
    Objects.requireNonNull(name, "name");
    schema = schema == null ? new LabelSchema(List.of(), false) : schema;
    consolidation = consolidation == null ? Consolidation.MAJORITY : consolidation;
    uncertainty = uncertainty == null && model != null ? Uncertainty.LEAST_CONFIDENCE : uncertainty;
    escalation = escalation == null ? Escalation.NOTIFY : escalation;
    completion = completion == null ? Completion.ALL : completion;
    annotators = annotators == null ? List.of() : List.copyOf(annotators);
    options = Inputs.options(options);
    after = Inputs.copy(after);
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.label(this);
  }

  @Override
  public Map<String, Input> inputs() {
    return new Inputs()
        .put("dataset", dataset, ValueType.DATASET)
        // A model output is an artifact; a string names a registered model.
        .put("model", model, model instanceof OutputRef ? ValueType.MODEL : ValueType.STRING)
        .build();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of("dataset", ValueType.DATASET, "manifest", ValueType.REPORT);
  }

  @Override
  public List<String> producedMetrics() {
    return METRICS;
  }
}
