package dev.lifecycle.activities.labeling;

import dev.lifecycle.activities.labeling.LabelingRecords.ConsolidatedLabel;
import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.Job;
import dev.lifecycle.activities.labeling.LabelingRecords.JobCounts;
import dev.lifecycle.activities.labeling.LabelingRecords.JobSpec;
import dev.lifecycle.activities.labeling.LabelingRecords.JobStatus;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.labeling.LabelingRecords.Source;
import dev.lifecycle.activities.labeling.LabelingRecords.StoredAnswer;
import dev.lifecycle.activities.labeling.consensus.AutoLabel;
import dev.lifecycle.activities.labeling.consensus.ConsensusOptions;
import dev.lifecycle.activities.labeling.consensus.LabelClasses;
import dev.lifecycle.activities.labeling.consensus.RankedItem;
import dev.lifecycle.activities.labeling.consensus.SamplingOptions;
import dev.lifecycle.activities.labeling.consensus.UncertaintyMeasure;
import dev.lifecycle.activities.labeling.consensus.UncertaintySampling;
import dev.lifecycle.activities.labeling.consensus.UncertaintySelection;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.ModelRegistry;
import dev.lifecycle.activities.store.ModelVersion;
import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.activities.training.ModelMetadata;
import dev.lifecycle.activities.training.ParquetDataset;
import dev.lifecycle.activities.training.RegistryReference;
import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy.Uncertainty;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.LabelingActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.labeling.LabelingJob;
import dev.lifecycle.workflows.labeling.LabelingProgress;
import dev.lifecycle.workflows.labeling.LabelingRescore;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labeling activities over the {@link LabelingStore} and the artifact store. Preparing reads
 * the dataset once (and scores it with the step's model, in batches); progress and reminders only
 * count rows in the store; consolidation reads the answers and writes the labeled dataset (the
 * labeled input rows with {@code label}, {@code label_source}, {@code label_annotators}, {@code
 * label_agreement} and {@code label_confidence}) and the manifest (every item's provenance: route,
 * label, source, annotators, agreement, the model's label and confidence, uncertainty, gold label,
 * and for items for people the number of answers they needed, above the step's count when their
 * annotators disagreed), both Parquet written by DuckDB. With a low-agreement policy, the progress
 * read gives disputed items more annotators first ({@link #moreAnnotators}).
 */
public final class LabelingActivitiesImpl implements LabelingActivities {
  private static final Logger log = LoggerFactory.getLogger(LabelingActivitiesImpl.class);
  private static final int BATCH_ROWS = 1024;

  /** Items written to the store per batch while preparing without a model. */
  static final int STREAM_ROWS = 5000;

  /** The fewest held-out human labels that can vouch for a retrained model's auto-labels. */
  static final int MIN_HELD_OUT = 8;

  private static final List<String> PROVENANCE =
      List.of("label", "label_source", "label_annotators", "label_agreement", "label_confidence");

  private final ArtifactStore artifacts;
  private final LabelingStore store;
  private final ModelRegistry registry;

  public LabelingActivitiesImpl(ArtifactStore artifacts, MetadataStore metadata) {
    this.artifacts = artifacts;
    this.store = LabelingStore.of(metadata);
    this.registry = metadata.models();
  }

  /** The store the activities work on (the labelers' API shares it). */
  public LabelingStore store() {
    return store;
  }

  @Override
  public LabelingJob prepare(StepTask task) {
    Label label = label(task);
    ArtifactRef datasetRef = task.artifact("dataset");
    Job job =
        store.createJob(
            new JobSpec(
                task.run().runId(),
                label.name(),
                task.run().workflowId() + "/label/" + label.name(),
                datasetRef.uri(),
                datasetRef.sha256(),
                label.schema().classes(),
                label.schema().freeText(),
                label.instructions(),
                label.annotatorsPerItem()));
    if (job.status() == JobStatus.PREPARING) {
      String description = "dataset 'dataset' of label step '" + label.name() + "'";
      Path file = artifacts.resolve(datasetRef);
      if (label.model() == null) {
        streamItems(job.id(), label, file, description);
      } else {
        // Ranking by uncertainty needs every item's scores at once; the rows are still only read
        // in batches, and the store writes in batches.
        store.addItems(job.id(), items(task, label, file, description));
      }
      store.ensureAnnotators(label.annotators());
      store.assign(job.id(), label.annotators());
      store.open(job.id());
    }
    JobCounts counts = store.counts(job.id());
    log.info(
        "Labeling job {} of step '{}': {} items, {} auto-labeled, {} for people",
        job.id(),
        label.name(),
        counts.items(),
        counts.autoLabeled(),
        counts.forPeople());
    return new LabelingJob(
        job.id(), counts.items(), counts.autoLabeled(), counts.forPeople(), counts.gold());
  }

  @Override
  public LabelingProgress progress(long jobId) {
    JobCounts counts = store.counts(jobId);
    return new LabelingProgress(
        jobId,
        counts.items(),
        counts.autoLabeled(),
        counts.forPeople(),
        counts.humanLabeled(),
        counts.answers(),
        store.waitingOn(jobId),
        store.annotatorsWanted(jobId).size());
  }

  @Override
  public LabelingProgress moreAnnotators(StepTask task, long jobId) {
    Label label = label(task);
    Job job = store.job(jobId);
    if (label.agreementThreshold() != null
        && label.maxAnnotatorsPerItem() != null
        && job.status() == JobStatus.OPEN) {
      ConsensusOptions options =
          ConsensusOptions.newBuilder()
              .setAgreementThreshold(label.agreementThreshold())
              .setMaxAnnotatorsPerItem(label.maxAnnotatorsPerItem())
              .build();
      Map<Long, Integer> more =
          Consolidator.moreAnnotators(
              label.schema().classes(),
              label.consolidation(),
              store.items(jobId),
              store.answers(jobId),
              store.annotatorsWanted(jobId),
              job.annotatorsPerItem(),
              options,
              store.members(jobId).size());
      if (!more.isEmpty()) {
        int raised = store.requestAnnotators(jobId, more);
        log.info(
            "Labeling job {} (step '{}'): {} items below agreement {} get more annotators",
            jobId,
            label.name(),
            raised,
            label.agreementThreshold());
      }
    }
    return progress(jobId);
  }

  /**
   * Whether an item measures retrained models instead of training them: a fixed pseudo-random tenth
   * of the items (by a hash of the key, so a random sample of the pool, unlike the
   * uncertainty-ordered items people label for training).
   */
  static boolean heldOut(long itemKey) {
    long z = itemKey * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return Math.floorMod(z, 10) == 0;
  }

  /** The labels people (and gold items) gave so far, of items with all their answers, by key. */
  private Map<Long, String> peoplesLabels(Label label, long jobId) {
    List<Item> items = store.items(jobId);
    Map<Long, List<StoredAnswer>> answers = store.answers(jobId);
    Map<Long, Integer> wanted = store.annotatorsWanted(jobId);
    int perItem = store.job(jobId).annotatorsPerItem();
    Map<Long, String> labels = new java.util.TreeMap<>();
    for (ConsolidatedLabel l :
        Consolidator.consolidate(label.schema().classes(), label.consolidation(), items, answers)) {
      boolean complete =
          answers.getOrDefault(l.itemKey(), List.of()).size()
              >= wanted.getOrDefault(l.itemKey(), perItem);
      if (l.label() != null
          && (l.source() == Source.GOLD || (l.source() == Source.HUMAN && complete))) {
        labels.put(l.itemKey(), l.label());
      }
    }
    return labels;
  }

  @Override
  public StepResult retrainingSet(StepTask task, long jobId) {
    Label label = label(task);
    Map<Long, String> labels = peoplesLabels(label, jobId);
    labels.keySet().removeIf(LabelingActivitiesImpl::heldOut);
    if (labels.isEmpty()) {
      return StepResult.builder().metric("rows", 0).summary("nothing labeled yet").build();
    }
    Path scratch = artifacts.scratch("retraining");
    try {
      Path out = scratch.resolve("retraining.parquet");
      // A tabular model trains on exactly its own columns; an image model reads only the images.
      ModelMetadata model = ModelBundle.readMetadata(artifacts.resolve(modelRef(task, label)));
      List<String> columns = model.inputShape() != null ? null : model.featureColumns();
      writeTrainingSet(artifacts.resolve(task.artifact("dataset")), columns, labels, scratch, out);
      ArtifactRef ref = artifacts.put(out, ValueType.DATASET, "parquet");
      return StepResult.builder()
          .artifact("dataset", ref)
          .metric("rows", labels.size())
          .summary(labels.size() + " rows labeled by people so far")
          .build();
    } finally {
      ArtifactStore.discard(scratch);
    }
  }

  @Override
  public LabelingRescore rescore(StepTask task, long jobId, ArtifactRef model) {
    Label label = label(task);
    if (store.job(jobId).status() != JobStatus.OPEN) {
      return new LabelingRescore(0, 0, 0, null);
    }
    // The held-out items stay with people, where they are in the queue.
    List<Item> open =
        store.openForRescoring(jobId).stream().filter(i -> !heldOut(i.key())).toList();
    Map<Long, String> heldOut = peoplesLabels(label, jobId);
    heldOut.keySet().removeIf(k -> !heldOut(k));
    List<Integer> heldOutRows = heldOut.keySet().stream().map(Math::toIntExact).toList();
    List<Integer> rows = open.stream().map(i -> Math.toIntExact(i.key())).toList();
    String description = "dataset 'dataset' of label step '" + label.name() + "'";
    double[][] probabilities;
    double[][] heldOutProbabilities;
    try (ParquetDataset data =
        ParquetDataset.open(artifacts.resolve(task.artifact("dataset")), description)) {
      probabilities = rows.isEmpty() ? new double[0][] : score(model, label, data, rows);
      heldOutProbabilities =
          heldOutRows.isEmpty() ? new double[0][] : score(model, label, data, heldOutRows);
    }
    LabelClasses classes = new LabelClasses(label.schema().classes());
    Double accuracy = null;
    if (!heldOutRows.isEmpty()) {
      int right = 0;
      for (int i = 0; i < heldOutRows.size(); i++) {
        if (top(classes, heldOutProbabilities[i]).equals(heldOut.get((long) heldOutRows.get(i)))) {
          right++;
        }
      }
      accuracy = right / (double) heldOutRows.size();
    }
    if (open.isEmpty()) {
      return new LabelingRescore(0, 0, heldOutRows.size(), accuracy);
    }
    SamplingOptions options = SamplingOptions.of(measure(label.uncertainty()), Integer.MAX_VALUE);
    // A model that gets the held-out human labels wrong more often than its threshold promises
    // (or that too few labels have measured) only re-orders; it labels nothing.
    boolean trusted =
        label.confidenceThreshold() != null
            && heldOutRows.size() >= MIN_HELD_OUT
            && accuracy >= label.confidenceThreshold();
    if (trusted) {
      options = options.withAutoLabelThreshold(label.confidenceThreshold());
    }
    UncertaintySelection selection =
        UncertaintySampling.select(
            classes, rows.stream().map(String::valueOf).toList(), probabilities, options);
    // The open items keep their places in the queue among the others; only their order changes.
    long[] places = open.stream().mapToLong(Item::priority).sorted().toArray();
    List<Item> updates = new ArrayList<>(open.size());
    for (AutoLabel a : selection.autoLabeled()) {
      updates.add(
          new Item(
              open.get(a.index()).key(),
              Route.AUTO,
              Long.MAX_VALUE,
              a.label(),
              a.confidence(),
              null,
              null));
    }
    int place = 0;
    for (RankedItem ranked : selection.forPeople()) {
      double[] p = probabilities[ranked.index()];
      updates.add(
          new Item(
              open.get(ranked.index()).key(),
              Route.PEOPLE,
              places[place++],
              top(classes, p),
              max(p),
              ranked.score(),
              null));
    }
    int changed = store.rescore(jobId, updates);
    long auto = selection.autoLabeled().size();
    log.info(
        "Labeling job {} (step '{}'): retrained model, accuracy {} on {} held-out labels,"
            + " re-scored {} open items ({} changed), {} auto-labeled",
        jobId,
        label.name(),
        accuracy,
        heldOutRows.size(),
        open.size(),
        changed,
        auto);
    return new LabelingRescore(open.size(), auto, heldOutRows.size(), accuracy);
  }

  @Override
  public List<String> remind(long jobId, boolean escalation) {
    Job job = store.job(jobId);
    List<String> waiting = store.waitingOn(jobId);
    for (String annotator : waiting) {
      if (escalation) {
        log.warn(
            "Labeling job {} (step '{}') is past its deadline; {} still has items to answer",
            jobId,
            job.step(),
            annotator);
      } else {
        log.info(
            "Reminder: {} has items to answer in labeling job {} (step '{}')",
            annotator,
            jobId,
            job.step());
      }
    }
    return waiting;
  }

  @Override
  public StepResult consolidate(StepTask task, long jobId) {
    Label label = label(task);
    store.close(jobId);
    List<Item> items = store.items(jobId);
    List<ConsolidatedLabel> labels =
        Consolidator.consolidate(
            label.schema().classes(), label.consolidation(), items, store.answers(jobId));
    store.saveLabels(jobId, labels);
    Map<Long, Integer> wanted = store.annotatorsWanted(jobId);
    int perItem = store.job(jobId).annotatorsPerItem();
    Path scratch = artifacts.scratch("labeled");
    try {
      Path dataset = scratch.resolve("labeled.parquet");
      Path manifest = scratch.resolve("manifest.parquet");
      write(
          artifacts.resolve(task.artifact("dataset")),
          items,
          labels,
          wanted,
          perItem,
          scratch,
          dataset,
          manifest);
      ArtifactRef datasetRef = artifacts.put(dataset, ValueType.DATASET, "parquet");
      ArtifactRef manifestRef = artifacts.put(manifest, ValueType.REPORT, "parquet");
      long auto = labels.stream().filter(l -> l.source() == Source.AUTO).count();
      long human = labels.stream().filter(l -> l.source() == Source.HUMAN).count();
      long gold = labels.stream().filter(l -> l.source() == Source.GOLD).count();
      long labeled = auto + human + gold;
      double agreement =
          labels.stream()
              .filter(l -> l.source() == Source.HUMAN && l.agreement() != null)
              .mapToDouble(ConsolidatedLabel::agreement)
              .average()
              .orElse(0.0);
      return StepResult.builder()
          .artifact("dataset", datasetRef)
          .artifact("manifest", manifestRef)
          .metric("labeled", labeled)
          .metric("auto_labeled", auto)
          .metric("human_labeled", human)
          .metric("agreement", agreement)
          .metric("more_annotators", wanted.size())
          .value("jobId", jobId)
          .summary(
              String.format(
                  Locale.ROOT,
                  "%,d of %,d items labeled: %,d by people (agreement %.2f), %,d by the model,"
                      + " %,d gold",
                  labeled,
                  labels.size(),
                  human,
                  agreement,
                  auto,
                  gold))
          .build();
    } finally {
      ArtifactStore.discard(scratch);
    }
  }

  private static Label label(StepTask task) {
    if (!(task.step() instanceof Label label)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + task.stepName() + "' is not a label step", FailureTypes.INVALID_PLAN);
    }
    return label;
  }

  /**
   * Without a model, writes one item per row straight into the store, {@link #STREAM_ROWS} rows at
   * a time, so memory stays bounded however many rows the dataset has. The same queue order as
   * {@link #prioritise}: the items for people in row order up to the budget, the gold items spread
   * evenly among them, the rest over budget. A first pass over the gold column counts (and checks)
   * the gold answers, which the spacing needs; keys make a retried preparation add nothing twice.
   */
  private void streamItems(long jobId, Label label, Path file, String description) {
    long rows;
    long golden = 0;
    try (ParquetDataset data = ParquetDataset.openStreaming(file, description)) {
      rows = data.rowCount();
      if (label.goldColumn() != null) {
        if (!data.hasColumn(label.goldColumn())) {
          throw missingGoldColumn(label, description, data);
        }
        try (ParquetDataset.Batches batch = data.batches(List.of(), label.goldColumn(), 4096)) {
          while (batch.next()) {
            for (int i = 0; i < batch.size(); i++) {
              String gold = batch.extras()[i];
              if (gold != null) {
                requireGoldInSchema(label, gold, batch.offset() + i);
                golden++;
              }
            }
          }
        }
      }
    }
    long budget = label.budget() == null ? Long.MAX_VALUE : label.budget();
    long people = Math.min(budget, rows - golden);
    long spacing = golden == 0 ? 1 : Math.max(1, people / golden);
    List<Item> pending = new ArrayList<>(STREAM_ROWS);
    long[] seen = new long[2]; // candidates, gold items so far
    Runnable flush =
        () -> {
          store.addItems(jobId, pending);
          pending.clear();
        };
    java.util.function.BiConsumer<Long, String> add =
        (row, gold) -> {
          if (gold != null) {
            long g = seen[1]++;
            pending.add(new Item(row, Route.PEOPLE, 2L * g * spacing + 1, null, null, null, gold));
          } else {
            long c = seen[0]++;
            pending.add(
                c < budget
                    ? new Item(row, Route.PEOPLE, 2L * c, null, null, null, null)
                    : new Item(row, Route.OVER_BUDGET, Long.MAX_VALUE, null, null, null, null));
          }
          if (pending.size() == STREAM_ROWS) {
            flush.run();
            Activity.getExecutionContext().heartbeat(row + 1);
          }
        };
    if (label.goldColumn() == null) {
      for (long row = 0; row < rows; row++) {
        add.accept(row, null);
      }
    } else {
      try (ParquetDataset data = ParquetDataset.openStreaming(file, description);
          ParquetDataset.Batches batch = data.batches(List.of(), label.goldColumn(), 4096)) {
        while (batch.next()) {
          for (int i = 0; i < batch.size(); i++) {
            add.accept(batch.offset() + i, batch.extras()[i]);
          }
        }
      }
    }
    if (!pending.isEmpty()) {
      flush.run();
    }
  }

  private static ApplicationFailure missingGoldColumn(
      Label label, String description, ParquetDataset data) {
    return ApplicationFailure.newNonRetryableFailure(
        "Label step '"
            + label.name()
            + "' reads gold answers from column '"
            + label.goldColumn()
            + "' but "
            + description
            + " has no such column. Its columns: "
            + data.columnNames(),
        FailureTypes.INVALID_DATA);
  }

  private static void requireGoldInSchema(Label label, String gold, long row) {
    if (!label.schema().allows(gold)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Label step '"
              + label.name()
              + "': gold answer '"
              + gold
              + "' in row "
              + row
              + " of column '"
              + label.goldColumn()
              + "' is not one of the classes "
              + label.schema().classes(),
          FailureTypes.INVALID_DATA);
    }
  }

  /** One item per row, for a step with a model: gold items, auto-labels, the uncertainty order. */
  private List<Item> items(StepTask task, Label label, Path file, String description) {
    try (ParquetDataset data = ParquetDataset.open(file, description)) {
      int rows = Math.toIntExact(data.rowCount());
      String[] gold = new String[rows];
      if (label.goldColumn() != null) {
        if (!data.hasColumn(label.goldColumn())) {
          throw missingGoldColumn(label, description, data);
        }
        gold = data.readStrings(label.goldColumn());
        for (int r = 0; r < rows; r++) {
          if (gold[r] != null) {
            requireGoldInSchema(label, gold[r], r);
          }
        }
      }
      List<Integer> candidates = new ArrayList<>();
      List<Integer> golden = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        (gold[r] == null ? candidates : golden).add(r);
      }
      int budget = label.budget() == null ? Integer.MAX_VALUE : label.budget();
      List<Item> items = new ArrayList<>(rows);
      List<Long> people = new ArrayList<>();
      double[][] probabilities = score(modelRef(task, label), label, data, candidates);
      LabelClasses classes = new LabelClasses(label.schema().classes());
      List<String> ids = candidates.stream().map(String::valueOf).toList();
      SamplingOptions options = SamplingOptions.of(measure(label.uncertainty()), budget);
      if (label.confidenceThreshold() != null) {
        options = options.withAutoLabelThreshold(label.confidenceThreshold());
      }
      UncertaintySelection selection =
          UncertaintySampling.select(classes, ids, probabilities, options);
      // With the Ground Truth loop, a random tenth of the items measure each retrained model:
      // people label them whatever the model thinks, early and never for training.
      boolean retraining = label.retrainEvery() != null;
      List<Long> checks = new ArrayList<>();
      for (AutoLabel a : selection.autoLabeled()) {
        long row = candidates.get(a.index());
        boolean check = retraining && heldOut(row);
        if (check) {
          checks.add(row);
        }
        items.add(
            new Item(
                row,
                check ? Route.PEOPLE : Route.AUTO,
                check ? 0 : Long.MAX_VALUE,
                a.label(),
                a.confidence(),
                null,
                null));
      }
      for (RankedItem ranked : selection.overBudget()) {
        items.add(
            new Item(
                candidates.get(ranked.index()),
                Route.OVER_BUDGET,
                Long.MAX_VALUE,
                top(classes, probabilities[ranked.index()]),
                max(probabilities[ranked.index()]),
                ranked.score(),
                null));
      }
      for (RankedItem ranked : selection.forPeople()) {
        long row = candidates.get(ranked.index());
        (retraining && heldOut(row) ? checks : people).add(row);
        items.add(
            new Item(
                candidates.get(ranked.index()),
                Route.PEOPLE,
                0,
                top(classes, probabilities[ranked.index()]),
                max(probabilities[ranked.index()]),
                ranked.score(),
                null));
      }
      if (retraining) {
        List<Long> ordered = interleave(people, checks);
        people.clear();
        people.addAll(ordered);
      }
      return prioritise(items, people, golden, gold);
    }
  }

  /** {@code checks} spread through {@code people}: one first, then one after every three. */
  private static List<Long> interleave(List<Long> people, List<Long> checks) {
    List<Long> result = new ArrayList<>(people.size() + checks.size());
    int p = 0;
    int c = 0;
    while (p < people.size() || c < checks.size()) {
      if (c < checks.size()) {
        result.add(checks.get(c++));
      }
      for (int k = 0; k < 3 && p < people.size(); k++) {
        result.add(people.get(p++));
      }
    }
    return result;
  }

  /**
   * Sets the queue order: people's items in the order given (most uncertain first), with the gold
   * items spread evenly among them so annotator accuracy is measured from the start.
   */
  private static List<Item> prioritise(
      List<Item> items, List<Long> people, List<Integer> golden, String[] gold) {
    java.util.Map<Long, Long> priority = new java.util.HashMap<>();
    long spacing = golden.isEmpty() ? 1 : Math.max(1, people.size() / golden.size());
    for (int i = 0; i < people.size(); i++) {
      priority.put(people.get(i), 2L * i);
    }
    List<Item> result = new ArrayList<>(items.size() + golden.size());
    for (Item item : items) {
      result.add(
          item.route() == Route.PEOPLE
              ? new Item(
                  item.key(),
                  item.route(),
                  priority.get(item.key()),
                  item.modelLabel(),
                  item.modelConfidence(),
                  item.uncertainty(),
                  null)
              : item);
    }
    for (int g = 0; g < golden.size(); g++) {
      int row = golden.get(g);
      result.add(new Item(row, Route.PEOPLE, 2L * g * spacing + 1, null, null, null, gold[row]));
    }
    result.sort(java.util.Comparator.comparingLong(Item::key));
    return result;
  }

  /** Each candidate row's probabilities over the step's classes, in the step's class order. */
  private double[][] score(
      ArtifactRef modelRef, Label label, ParquetDataset data, List<Integer> rows) {
    Path dir = artifacts.resolve(modelRef);
    try (ModelBundle model = ModelBundle.load(dir)) {
      ModelMetadata metadata = model.metadata();
      String description = "the model of label step '" + label.name() + "'";
      if (metadata.task() != Task.CLASSIFICATION) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Label step '"
                + label.name()
                + "': "
                + description
                + " is a regression; auto-labeling"
                + " needs a classifier",
            FailureTypes.INVALID_DATA);
      }
      List<String> classes = label.schema().classes();
      if (!new HashSet<>(metadata.classes()).equals(new HashSet<>(classes))) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Label step '"
                + label.name()
                + "' has classes "
                + classes
                + " but "
                + description
                + " predicts "
                + metadata.classes()
                + ": the model must predict exactly the step's classes",
            FailureTypes.INVALID_DATA);
      }
      int[] order = new int[classes.size()];
      for (int c = 0; c < classes.size(); c++) {
        order[c] = metadata.classes().indexOf(classes.get(c));
      }
      // Unlike evaluation, the rows may carry columns the model does not read (gold answers, ids).
      List<String> missing =
          metadata.featureColumns().stream().filter(c -> !data.hasColumn(c)).toList();
      if (!missing.isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Label step '"
                + label.name()
                + "': "
                + description
                + " reads columns "
                + missing
                + " that the dataset lacks. Its columns: "
                + data.columnNames(),
            FailureTypes.INVALID_DATA);
      }
      data.requireNumeric(metadata.featureColumns());
      Set<Integer> wanted = new HashSet<>(rows);
      double[][] all = new double[rows.size()][];
      Map<Integer, Integer> position = new java.util.HashMap<>();
      for (int i = 0; i < rows.size(); i++) {
        position.put(rows.get(i), i);
      }
      int k = metadata.classes().size();
      try (ParquetDataset.Batches batch =
          data.batches(metadata.featureColumns(), null, BATCH_ROWS)) {
        while (batch.next()) {
          float[] p = model.predict(batch.features(), batch.size());
          for (int i = 0; i < batch.size(); i++) {
            int row = Math.toIntExact(batch.offset() + i);
            if (!wanted.contains(row)) {
              continue;
            }
            double[] q = new double[classes.size()];
            for (int c = 0; c < q.length; c++) {
              q[c] = p[i * k + order[c]];
            }
            all[position.get(row)] = normalise(q);
          }
          Activity.getExecutionContext().heartbeat(batch.offset() + batch.size());
        }
      }
      return all;
    }
  }

  private ArtifactRef modelRef(StepTask task, Label label) {
    var artifact = task.optionalArtifact("model");
    if (artifact.isPresent()) {
      return artifact.get();
    }
    String location = task.string("model");
    ModelVersion version =
        RegistryReference.parse(location, label.name()).resolve(registry, label.name());
    return new ArtifactRef(
        version.artifactUri(),
        version.artifactSha256(),
        version.artifactSize(),
        ValueType.MODEL,
        version.artifactFormat());
  }

  /** float32 softmax sums drift from 1; the sampler checks sums to 1e-6. */
  private static double[] normalise(double[] q) {
    double sum = 0;
    for (double x : q) {
      sum += x;
    }
    for (int c = 0; c < q.length; c++) {
      q[c] = sum > 0 ? q[c] / sum : 1.0 / q.length;
    }
    return q;
  }

  private static String top(LabelClasses classes, double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      best = p[c] > p[best] ? c : best;
    }
    return classes.classes().get(best);
  }

  private static double max(double[] p) {
    double m = p[0];
    for (double x : p) {
      m = Math.max(m, x);
    }
    return m;
  }

  private static UncertaintyMeasure measure(Uncertainty uncertainty) {
    if (uncertainty == null) {
      return UncertaintyMeasure.LEAST_CONFIDENCE;
    }
    return switch (uncertainty) {
      case LEAST_CONFIDENCE -> UncertaintyMeasure.LEAST_CONFIDENCE;
      case MARGIN -> UncertaintyMeasure.MARGIN;
      case ENTROPY -> UncertaintyMeasure.ENTROPY;
    };
  }

  /**
   * Writes the rows of {@code input} whose keys {@code labels} holds, with their {@code label}:
   * {@code columns} of them, or every column but the provenance ones when {@code null}.
   */
  private static void writeTrainingSet(
      Path input, List<String> columns, Map<Long, String> labels, Path scratch, Path out) {
    try (DuckDBConnection db =
        (DuckDBConnection)
            DriverManager.getConnection("jdbc:duckdb:" + scratch.resolve("work.duckdb"))) {
      try (Statement st = db.createStatement()) {
        st.execute("CREATE TABLE labels (item_key BIGINT, label VARCHAR)");
      }
      try (DuckDBAppender appender = db.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "labels")) {
        for (Map.Entry<Long, String> e : labels.entrySet()) {
          appender.beginRow();
          appender.append(e.getKey().longValue());
          appender.append(e.getValue());
          appender.endRow();
        }
      }
      String source =
          "read_parquet(" + ParquetDataset.literal(input.toString()) + ", file_row_number = true)";
      List<String> kept = new ArrayList<>();
      try (Statement st = db.createStatement();
          var rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
        while (rs.next()) {
          String c = rs.getString("column_name");
          if (!c.equals("file_row_number")
              && !PROVENANCE.contains(c)
              && (columns == null || columns.contains(c))) {
            kept.add("d." + ParquetDataset.identifier(c));
          }
        }
      }
      try (Statement st = db.createStatement()) {
        st.execute(
            "COPY (SELECT "
                + String.join(", ", kept)
                + (kept.isEmpty() ? "" : ", ")
                + "l.label FROM "
                + source
                + " d JOIN labels l ON l.item_key = d.file_row_number ORDER BY d.file_row_number)"
                + " TO "
                + ParquetDataset.literal(out.toString())
                + " (FORMAT parquet)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot write the retraining set of " + input, e);
    }
  }

  /** Writes the labeled rows and the manifest with DuckDB. */
  private static void write(
      Path input,
      List<Item> items,
      List<ConsolidatedLabel> labels,
      Map<Long, Integer> wanted,
      int perItem,
      Path scratch,
      Path dataset,
      Path manifest) {
    Map<Long, Item> byKey = new java.util.HashMap<>();
    items.forEach(i -> byKey.put(i.key(), i));
    try (DuckDBConnection db =
        (DuckDBConnection)
            DriverManager.getConnection("jdbc:duckdb:" + scratch.resolve("work.duckdb"))) {
      try (Statement st = db.createStatement()) {
        st.execute(
            "CREATE TABLE labels (item_key BIGINT, label VARCHAR, label_source VARCHAR,"
                + " label_annotators VARCHAR, label_agreement DOUBLE, label_confidence DOUBLE,"
                + " model_label VARCHAR, model_confidence DOUBLE, uncertainty DOUBLE,"
                + " gold_label VARCHAR, route VARCHAR, annotators_wanted INTEGER)");
      }
      try (DuckDBAppender appender = db.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "labels")) {
        for (ConsolidatedLabel l : labels) {
          Item item = byKey.get(l.itemKey());
          appender.beginRow();
          appender.append(l.itemKey());
          appendNullable(appender, l.label());
          appender.append(l.source().name().toLowerCase(Locale.ROOT));
          appender.append(String.join(",", l.annotators()));
          appendNullable(appender, l.agreement());
          appendNullable(appender, l.confidence());
          appendNullable(appender, item.modelLabel());
          appendNullable(appender, item.modelConfidence());
          appendNullable(appender, item.uncertainty());
          appendNullable(appender, item.goldLabel());
          appender.append(item.route().name().toLowerCase(Locale.ROOT));
          if (item.route() == Route.PEOPLE && item.goldLabel() == null) {
            appender.append(wanted.getOrDefault(l.itemKey(), perItem).intValue());
          } else {
            appender.appendNull();
          }
          appender.endRow();
        }
      }
      String source =
          "read_parquet(" + ParquetDataset.literal(input.toString()) + ", file_row_number = true)";
      List<String> inputColumns = new ArrayList<>();
      try (Statement st = db.createStatement();
          var rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
        while (rs.next()) {
          inputColumns.add(rs.getString("column_name"));
        }
      }
      List<String> kept =
          inputColumns.stream()
              .filter(c -> !c.equals("file_row_number") && !PROVENANCE.contains(c))
              .map(c -> "d." + ParquetDataset.identifier(c))
              .toList();
      try (Statement st = db.createStatement()) {
        st.execute(
            "COPY (SELECT "
                + String.join(", ", kept)
                + (kept.isEmpty() ? "" : ", ")
                + "l.label, l.label_source, l.label_annotators, l.label_agreement,"
                + " l.label_confidence FROM "
                + source
                + " d JOIN labels l ON l.item_key = d.file_row_number WHERE l.label IS NOT NULL"
                + " ORDER BY d.file_row_number) TO "
                + ParquetDataset.literal(dataset.toString())
                + " (FORMAT parquet)");
        st.execute(
            "COPY (SELECT item_key, route, label, label_source AS source, label_annotators AS"
                + " annotators, label_agreement AS agreement, label_confidence AS confidence,"
                + " model_label, model_confidence, uncertainty, gold_label, annotators_wanted"
                + " FROM labels ORDER BY item_key) TO "
                + ParquetDataset.literal(manifest.toString())
                + " (FORMAT parquet)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot write the labeled dataset of " + input, e);
    }
  }

  private static void appendNullable(DuckDBAppender appender, String value) throws SQLException {
    if (value == null) {
      appender.appendNull();
    } else {
      appender.append(value);
    }
  }

  private static void appendNullable(DuckDBAppender appender, Double value) throws SQLException {
    if (value == null) {
      appender.appendNull();
    } else {
      appender.append(value.doubleValue());
    }
  }
}
