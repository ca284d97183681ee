package dev.lifecycle.activities.deployment;

import dev.lifecycle.activities.data.FeatureTransform;
import dev.lifecycle.activities.deployment.serving.ModelSpec;
import dev.lifecycle.activities.deployment.serving.RolloutOutcome;
import dev.lifecycle.activities.deployment.serving.ServingRuntime;
import dev.lifecycle.activities.store.ApprovalStatus;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.EndpointStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.ModelVersion;
import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.activities.training.ModelMetadata;
import dev.lifecycle.activities.training.ParquetDataset;
import dev.lifecycle.dsl.plan.BatchTransform;
import dev.lifecycle.dsl.plan.Deploy;
import dev.lifecycle.dsl.plan.Serving;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.DeploymentActivities;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inference. {@link #deploy}: serves a registered version at an endpoint of this worker's {@link
 * ServingRuntime} (creating it or rolling the version out as the step's serving options say),
 * records the deployment (idempotent per run and step) and moves the registry's {@value
 * #PRODUCTION} alias to the version; a version rolled back by an alarm fails the step with {@link
 * FailureTypes#DEPLOYMENT_ROLLED_BACK}.
 *
 * <p>Batch inference: when the step carries the model's fitted feature transform and the dataset
 * holds raw rows (not the model's feature columns), DuckDB first computes the features from them as
 * the features step did; then it streams the dataset in batches, predicts each batch with the
 * model, and appends the predictions to an on-disk DuckDB table that is finally copied to Parquet.
 * Only one batch is in memory at a time, whatever the dataset's size.
 *
 * <p>The predictions file has the columns {@code row} (the row's index in the dataset), {@code
 * prediction} (a number for regression, the most probable class for classification), for
 * classification one {@code probability_<class>} column per class, and the label column when the
 * dataset has it.
 */
public final class DeploymentActivitiesImpl implements DeploymentActivities {
  private static final Logger log = LoggerFactory.getLogger(DeploymentActivitiesImpl.class);

  /** Rows predicted at once unless configured otherwise. */
  public static final int DEFAULT_BATCH_ROWS = 4096;

  /** The registry alias a deploy step moves to the version it serves. */
  public static final String PRODUCTION = "production";

  private static final Pattern ENDPOINT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final String SERVING = "SERVING";
  private static final String ROLLED_BACK = "ROLLED_BACK";

  private final ArtifactStore artifacts;
  private final int batchRows;
  private final MetadataStore metadata;
  private final ServingRuntime serving;

  /** Batch transform only: {@link #deploy} fails naming the step. */
  public DeploymentActivitiesImpl(ArtifactStore artifacts) {
    this(artifacts, DEFAULT_BATCH_ROWS);
  }

  /** Batch transform, and deploy steps served by {@code serving}. */
  public DeploymentActivitiesImpl(
      ArtifactStore artifacts, MetadataStore metadata, ServingRuntime serving) {
    this(artifacts, DEFAULT_BATCH_ROWS, metadata, serving);
  }

  /** An implementation predicting {@code batchRows} rows at a time. */
  public DeploymentActivitiesImpl(ArtifactStore artifacts, int batchRows) {
    this(artifacts, batchRows, null, null);
  }

  private DeploymentActivitiesImpl(
      ArtifactStore artifacts, int batchRows, MetadataStore metadata, ServingRuntime serving) {
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be positive, got " + batchRows);
    }
    this.artifacts = artifacts;
    this.batchRows = batchRows;
    this.metadata = metadata;
    this.serving = serving;
  }

  @Override
  public StepResult batchTransform(StepTask task) {
    if (!(task.step() instanceof BatchTransform step)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + task.stepName() + "' is not a batch transform step",
          FailureTypes.INVALID_PLAN);
    }
    ActivityExecutionContext context = Activity.getExecutionContext();
    String description = "dataset 'dataset' of step '" + step.name() + "'";
    Path scratch = artifacts.scratch("predictions");
    Path input = artifacts.resolve(task.artifact("dataset"));
    try {
      ArtifactRef transform = task.optionalArtifact("transform").orElse(null);
      boolean raw = false;
      if (transform != null && !readsModelFeatures(task, input, description)) {
        // Raw rows: computed into the model's features first, as the features step did.
        Path transformed = scratch.resolve("features.parquet");
        FeatureTransform.read(artifacts.resolve(transform))
            .applyToParquet(input, transformed, scratch, description);
        input = transformed;
        raw = true;
      }
      return predict(context, step, task, input, description, scratch, raw);
    } finally {
      ArtifactStore.discard(scratch);
    }
  }

  /** Whether {@code input} already holds every feature column the model reads. */
  private boolean readsModelFeatures(StepTask task, Path input, String description) {
    ModelMetadata metadata = ModelBundle.readMetadata(artifacts.resolve(task.artifact("model")));
    try (ParquetDataset data = ParquetDataset.openStreaming(input, description)) {
      return data.columnNames().containsAll(metadata.featureColumns());
    }
  }

  private StepResult predict(
      ActivityExecutionContext context,
      BatchTransform step,
      StepTask task,
      Path input,
      String description,
      Path scratch,
      boolean raw) {
    try (ModelBundle model = ModelBundle.load(artifacts.resolve(task.artifact("model")));
        ParquetDataset data = ParquetDataset.openStreaming(input, description)) {
      ModelMetadata metadata = model.metadata();
      model.requireColumns(data.columnNames(), description);
      data.requireNumeric(metadata.featureColumns());
      String label = data.hasColumn(metadata.label()) ? metadata.label() : null;
      Path output = scratch.resolve("predictions.parquet");
      long[] counts = write(context, model, data, label, scratch.resolve("work.duckdb"), output);
      ArtifactRef ref = artifacts.put(output, ValueType.PREDICTIONS, "parquet");
      return StepResult.builder()
          .artifact("predictions", ref)
          .value("rows", counts[0])
          .summary(
              String.format(
                  Locale.ROOT,
                  "%,d %srows predicted in %,d batch%s of at most %,d rows",
                  counts[0],
                  raw ? "raw " : "",
                  counts[1],
                  counts[1] == 1 ? "" : "es",
                  batchRows))
          .build();
    }
  }

  @Override
  public StepResult deploy(StepTask task) {
    if (!(task.step() instanceof Deploy step)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + task.stepName() + "' is not a deploy step", FailureTypes.INVALID_PLAN);
    }
    if (serving == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + step.name() + "': this worker serves no endpoints (no serving runtime)",
          FailureTypes.INVALID_PLAN);
    }
    String endpoint = step.endpoint();
    if (endpoint == null || !ENDPOINT_NAME.matcher(endpoint).matches()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '"
              + step.name()
              + "': endpoint name '"
              + endpoint
              + "' must be lower-case letters, digits and dashes, starting with a letter or digit"
              + " (at most 63 characters)",
          FailureTypes.INVALID_PLAN);
    }
    ArtifactRef model = task.artifact("model");
    int version = task.integer("version");
    ModelVersion registered =
        metadata
            .models()
            .get(step.modelName(), version)
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "Step '"
                            + step.name()
                            + "': the registry has no version "
                            + version
                            + " of model '"
                            + step.modelName()
                            + "'. Versions: "
                            + metadata.models().list(step.modelName()).stream()
                                .map(ModelVersion::version)
                                .toList(),
                        FailureTypes.INVALID_PLAN));
    if (!registered.artifactSha256().equals(model.sha256())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '"
              + step.name()
              + "': input 'model' ("
              + model.sha256()
              + ") is not the model registered as "
              + step.modelName()
              + " v"
              + version
              + " ("
              + registered.artifactSha256()
              + "): deploy the register step's outputs",
          FailureTypes.INVALID_PLAN);
    }
    if (registered.approval() == ApprovalStatus.REJECTED) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '"
              + step.name()
              + "': "
              + step.modelName()
              + " v"
              + version
              + " is rejected in the registry and cannot be deployed",
          FailureTypes.APPROVAL_REJECTED);
    }
    Serving options = step.serving();
    RunInfo run = task.run();
    EndpointStore endpoints = serving.endpointStore();
    EndpointStore.DeploymentRecord record =
        endpoints.startDeployment(
            endpoint,
            step.modelName(),
            version,
            ServingRuntime.servingJson(options),
            run.runId(),
            step.name());
    if (record.state().equals(ROLLED_BACK)) {
      throw rolledBack(step, version, record.reason());
    }
    if (!record.state().equals(SERVING)) {
      RolloutOutcome outcome =
          await(
              serving.deploy(
                  endpoint,
                  new ModelSpec(
                      step.modelName(), version, model, registered.transform().orElse(null)),
                  options,
                  run.runId(),
                  step.name()),
              endpoint);
      if (!outcome.promoted()) {
        endpoints.finishDeployment(record.id(), ROLLED_BACK, outcome.reason());
        throw rolledBack(step, version, outcome.reason());
      }
      endpoints.finishDeployment(record.id(), SERVING, null);
    }
    metadata.models().setAlias(step.modelName(), PRODUCTION, version);
    String url = "/endpoints/" + endpoint + "/invocations";
    return StepResult.builder()
        .value("endpoint", endpoint)
        .value("url", url)
        .summary(summary(step, version, url))
        .build();
  }

  /** Waits for a rollout, heartbeating so that a long bake is not mistaken for a dead worker. */
  private static RolloutOutcome await(CompletableFuture<RolloutOutcome> outcome, String endpoint) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    while (true) {
      try {
        return outcome.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        context.heartbeat("rolling out on " + endpoint);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while rolling out on " + endpoint, e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  private static ApplicationFailure rolledBack(Deploy step, int version, String reason) {
    return ApplicationFailure.newNonRetryableFailure(
        "Step '"
            + step.name()
            + "': "
            + step.modelName()
            + " v"
            + version
            + " was rolled back on endpoint '"
            + step.endpoint()
            + "' ("
            + reason
            + "); the previous version keeps serving",
        FailureTypes.DEPLOYMENT_ROLLED_BACK);
  }

  /**
   * E.g. {@code abalone-age v3 serving at /endpoints/abalone/invocations (canary 10%, bake 5m)}.
   */
  private static String summary(Deploy step, int version, String url) {
    Serving s = step.serving();
    List<String> notes = new ArrayList<>();
    notes.add(s.mode().name().toLowerCase(Locale.ROOT));
    if (s.maxBatchSizeOrDefault() > 1) {
      notes.add("batches of " + s.maxBatchSizeOrDefault());
    }
    switch (s.rolloutOrDefault()) {
      case CANARY ->
          notes.add(
              "canary "
                  + (s.canaryPercent() == null ? 10 : s.canaryPercent())
                  + "% baked "
                  + s.bakeOrDefault().toString().substring(2).toLowerCase(Locale.ROOT));
      case BLUE_GREEN ->
          notes.add(
              "blue/green baked "
                  + s.bakeOrDefault().toString().substring(2).toLowerCase(Locale.ROOT));
      default -> {}
    }
    if (s.captureFractionOrDefault() > 0) {
      notes.add(String.format(Locale.ROOT, "capturing %.0f%%", 100 * s.captureFractionOrDefault()));
    }
    return step.modelName()
        + " v"
        + version
        + " serving at "
        + url
        + " ("
        + String.join(", ", notes)
        + ")";
  }

  /** Writes the predictions; returns the number of rows and of batches. */
  private long[] write(
      ActivityExecutionContext context,
      ModelBundle model,
      ParquetDataset data,
      String label,
      Path database,
      Path output) {
    ModelMetadata metadata = model.metadata();
    boolean classification = metadata.task() == Task.CLASSIFICATION;
    List<String> classes = metadata.classes();
    int k = classes.size();
    long rows = 0;
    long batches = 0;
    try (DuckDBConnection db =
        (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + database)) {
      try (Statement st = db.createStatement()) {
        st.execute(createTable(metadata, label));
      }
      try (DuckDBAppender appender =
              db.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "predictions");
          ParquetDataset.Batches batch =
              data.batches(metadata.featureColumns(), label, batchRows)) {
        while (batch.next()) {
          float[] predicted = model.predict(batch.features(), batch.size());
          for (int i = 0; i < batch.size(); i++) {
            appender.beginRow();
            appender.append(batch.offset() + i);
            if (classification) {
              int best = 0;
              for (int c = 1; c < k; c++) {
                best = predicted[i * k + c] > predicted[i * k + best] ? c : best;
              }
              appender.append(classes.get(best));
              for (int c = 0; c < k; c++) {
                appender.append((double) predicted[i * k + c]);
              }
            } else {
              appender.append((double) predicted[i]);
            }
            if (label != null) {
              String value = batch.extras()[i];
              if (value == null) {
                appender.appendNull();
              } else if (classification) {
                appender.append(value);
              } else {
                appender.append(Double.parseDouble(value));
              }
            }
            appender.endRow();
          }
          rows += batch.size();
          batches++;
          context.heartbeat(rows);
        }
      }
      try (Statement st = db.createStatement()) {
        st.execute(
            "COPY predictions TO "
                + ParquetDataset.literal(output.toString())
                + " (FORMAT parquet)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot write the predictions of " + data.description(), e);
    }
    return new long[] {rows, batches};
  }

  private static String createTable(ModelMetadata metadata, String label) {
    List<String> columns = new ArrayList<>();
    columns.add("\"row\" BIGINT");
    boolean classification = metadata.task() == Task.CLASSIFICATION;
    columns.add("prediction " + (classification ? "VARCHAR" : "DOUBLE"));
    List<String> names = new ArrayList<>(List.of("row", "prediction"));
    if (classification) {
      for (String c : metadata.classes()) {
        String name = "probability_" + c;
        names.add(name);
        columns.add(ParquetDataset.identifier(name) + " DOUBLE");
      }
    }
    if (label != null) {
      // A label named like an output column keeps its values under the name "label".
      String name = names.contains(label) ? "label" : label;
      columns.add(ParquetDataset.identifier(name) + (classification ? " VARCHAR" : " DOUBLE"));
    }
    return "CREATE TABLE predictions (" + String.join(", ", columns) + ")";
  }
}
