package dev.lifecycle.activities.labeling;

import dev.lifecycle.activities.labeling.LabelingRecords.ConsolidatedLabel;
import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.Job;
import dev.lifecycle.activities.labeling.LabelingRecords.JobCounts;
import dev.lifecycle.activities.labeling.LabelingRecords.JobSpec;
import dev.lifecycle.activities.labeling.LabelingRecords.JobStatus;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.labeling.LabelingRecords.Source;
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
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
import java.util.stream.Stream;
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
      List<Item> items = items(task, label, file, description);
      store.addItems(job.id(), items);
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
      deleteRecursively(scratch);
    }
  }

  private static Label label(StepTask task) {
    if (!(task.step() instanceof Label label)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + task.stepName() + "' is not a label step", FailureTypes.INVALID_PLAN);
    }
    return label;
  }

  /** One item per row: gold items and, with a model, auto-labels and the uncertainty order. */
  private List<Item> items(StepTask task, Label label, Path file, String description) {
    try (ParquetDataset data = ParquetDataset.open(file, description)) {
      int rows = Math.toIntExact(data.rowCount());
      String[] gold = new String[rows];
      if (label.goldColumn() != null) {
        if (!data.hasColumn(label.goldColumn())) {
          throw ApplicationFailure.newNonRetryableFailure(
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
        gold = data.readStrings(label.goldColumn());
        for (int r = 0; r < rows; r++) {
          if (gold[r] != null && !label.schema().allows(gold[r])) {
            throw ApplicationFailure.newNonRetryableFailure(
                "Label step '"
                    + label.name()
                    + "': gold answer '"
                    + gold[r]
                    + "' in row "
                    + r
                    + " of column '"
                    + label.goldColumn()
                    + "' is not one of the classes "
                    + label.schema().classes(),
                FailureTypes.INVALID_DATA);
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
      if (label.model() == null) {
        for (int i = 0; i < candidates.size(); i++) {
          long row = candidates.get(i);
          if (i < budget) {
            people.add(row);
          } else {
            items.add(new Item(row, Route.OVER_BUDGET, Long.MAX_VALUE, null, null, null, null));
          }
        }
        people.forEach(row -> items.add(new Item(row, Route.PEOPLE, 0, null, null, null, null)));
      } else {
        double[][] probabilities = score(task, label, data, candidates);
        LabelClasses classes = new LabelClasses(label.schema().classes());
        List<String> ids = candidates.stream().map(String::valueOf).toList();
        SamplingOptions options = SamplingOptions.of(measure(label.uncertainty()), budget);
        if (label.confidenceThreshold() != null) {
          options = options.withAutoLabelThreshold(label.confidenceThreshold());
        }
        UncertaintySelection selection =
            UncertaintySampling.select(classes, ids, probabilities, options);
        selection
            .autoLabeled()
            .forEach(
                a ->
                    items.add(
                        new Item(
                            candidates.get(a.index()),
                            Route.AUTO,
                            Long.MAX_VALUE,
                            a.label(),
                            a.confidence(),
                            null,
                            null)));
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
          people.add((long) candidates.get(ranked.index()));
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
      }
      return prioritise(items, people, golden, gold);
    }
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
  private double[][] score(StepTask task, Label label, ParquetDataset data, List<Integer> rows) {
    Path dir = artifacts.resolve(modelRef(task, label));
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

  private static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete scratch directory " + path, e);
    }
  }
}
