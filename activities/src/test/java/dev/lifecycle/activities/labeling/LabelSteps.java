package dev.lifecycle.activities.labeling;

import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy.Completion;
import dev.lifecycle.dsl.plan.LabelPolicy.Consolidation;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import dev.lifecycle.dsl.plan.LabelPolicy.Uncertainty;
import dev.lifecycle.dsl.plan.LabelSchema;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepTask;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Label steps and their tasks for the labeling tests. */
final class LabelSteps {
  private LabelSteps() {}

  static Label step(
      List<String> classes,
      int perItem,
      Consolidation consolidation,
      String gold,
      boolean model,
      Double threshold,
      Integer budget,
      List<String> annotators) {
    return new Label(
        "label",
        new OutputRef("ingest", "dataset"),
        new LabelSchema(classes, false),
        "Pick one",
        perItem,
        consolidation,
        gold,
        model ? new OutputRef("train", "model") : null,
        threshold,
        model ? Uncertainty.LEAST_CONFIDENCE : null,
        budget,
        null,
        null,
        Escalation.NOTIFY,
        Completion.ALL,
        null,
        annotators,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** {@code s} with the low-agreement policy: below {@code threshold}, up to {@code max}. */
  static Label withMoreAnnotators(Label s, double threshold, int max) {
    return new Label(
        s.name(),
        s.dataset(),
        s.schema(),
        s.instructions(),
        s.annotatorsPerItem(),
        s.consolidation(),
        s.goldColumn(),
        s.model(),
        s.confidenceThreshold(),
        s.uncertainty(),
        s.budget(),
        s.deadline(),
        s.reminderInterval(),
        s.escalation(),
        s.completion(),
        s.quota(),
        s.annotators(),
        threshold,
        max,
        s.retrainEvery(),
        s.retrainEpochs(),
        s.retrainLearningRate(),
        s.options(),
        s.after());
  }

  /** {@code s} retraining its model every {@code every} human labels. */
  static Label withRetraining(Label s, int every, int epochs, double learningRate) {
    return new Label(
        s.name(),
        s.dataset(),
        s.schema(),
        s.instructions(),
        s.annotatorsPerItem(),
        s.consolidation(),
        s.goldColumn(),
        s.model(),
        s.confidenceThreshold(),
        s.uncertainty(),
        s.budget(),
        s.deadline(),
        s.reminderInterval(),
        s.escalation(),
        s.completion(),
        s.quota(),
        s.annotators(),
        s.agreementThreshold(),
        s.maxAnnotatorsPerItem(),
        every,
        epochs,
        learningRate,
        s.options(),
        s.after());
  }

  static StepTask task(Label step, ArtifactRef dataset, ArtifactRef model) {
    Map<String, ArtifactRef> artifacts = new LinkedHashMap<>();
    artifacts.put("dataset", dataset);
    if (model != null) {
      artifacts.put("model", model);
    }
    return new StepTask(
        new RunInfo("run-wf", "run-1", "p", "hash", Map.of()), step, artifacts, Map.of());
  }
}
