package dev.lifecycle.activities.deployment;

import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.activities.training.ModelMetadata;
import dev.lifecycle.activities.training.ParquetDataset;
import dev.lifecycle.dsl.plan.BatchTransform;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.DeploymentActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch inference: streams a dataset from DuckDB in batches, predicts each batch with the model,
 * and appends the predictions to an on-disk DuckDB table that is finally copied to Parquet. Only
 * one batch is in memory at a time, whatever the dataset's size.
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

  private final ArtifactStore artifacts;
  private final int batchRows;

  public DeploymentActivitiesImpl(ArtifactStore artifacts) {
    this(artifacts, DEFAULT_BATCH_ROWS);
  }

  /** An implementation predicting {@code batchRows} rows at a time. */
  public DeploymentActivitiesImpl(ArtifactStore artifacts, int batchRows) {
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be positive, got " + batchRows);
    }
    this.artifacts = artifacts;
    this.batchRows = batchRows;
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
    try (ModelBundle model = ModelBundle.load(artifacts.resolve(task.artifact("model")));
        ParquetDataset data =
            ParquetDataset.openStreaming(
                artifacts.resolve(task.artifact("dataset")), description)) {
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
                  "%,d rows predicted in %,d batch%s of at most %,d rows",
                  counts[0],
                  counts[1],
                  counts[1] == 1 ? "" : "es",
                  batchRows))
          .build();
    } finally {
      deleteRecursively(scratch);
    }
  }

  @Override
  public StepResult deploy(StepTask task) {
    throw ApplicationFailure.newNonRetryableFailure(
        "Step '" + task.stepName() + "': endpoints are not served by this worker yet",
        FailureTypes.INVALID_PLAN);
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

  private static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("Cannot delete scratch {}: {}", path, e.getMessage());
    }
  }
}
