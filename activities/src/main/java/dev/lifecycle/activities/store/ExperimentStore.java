package dev.lifecycle.activities.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Experiment tracking: every training run with its hyperparameters, data version, base model,
 * per-epoch metrics, final metrics, status and artifacts; and the queries that list, compare and
 * rank them.
 *
 * <p>Recording is idempotent per pipeline run and step: {@link #start} of a retried or resumed
 * attempt returns the run its first attempt created (back to {@link ExperimentStatus#RUNNING}), and
 * {@link #recordEpoch} rewrites an epoch trained again instead of adding a second row.
 */
public final class ExperimentStore {
  private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> OBJECTS = new TypeReference<>() {};
  private static final int MAX_ERROR = 4000;
  private static final String SELECT =
      "SELECT id, workflow_id, run_id, step, pipeline, parameters_json, hyperparameters_json,"
          + " train_uri, train_sha256, validation_uri, validation_sha256, base_model, status,"
          + " final_metrics_json, model_uri, model_sha256, checkpoint_uri, checkpoint_sha256,"
          + " error, started_at, ended_at FROM experiment_run ";

  private final Jdbc jdbc;

  ExperimentStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records that {@code run} started, or, when its pipeline run and step were recorded before (a
   * retry), marks that run running again and returns it; what it trains and on which data stay as
   * first recorded.
   */
  public ExperimentRun start(NewExperimentRun run) {
    Objects.requireNonNull(run, "run");
    Optional<ExperimentRun> earlier = byRun(run.runId(), run.step());
    if (earlier.isEmpty()) {
      int inserted =
          jdbc.updateUnlessDuplicate(
              "INSERT INTO experiment_run (workflow_id, run_id, step, pipeline, parameters_json,"
                  + " hyperparameters_json, train_uri, train_sha256, validation_uri,"
                  + " validation_sha256, base_model, status, final_metrics_json, started_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              s -> {
                Jdbc.setNullable(s, 1, run.workflowId());
                s.setString(2, run.runId());
                s.setString(3, run.step());
                s.setString(4, run.pipeline());
                s.setString(5, Jdbc.json(run.parameters()));
                s.setString(6, Jdbc.json(run.hyperparameters()));
                s.setString(7, run.train().uri());
                s.setString(8, run.train().sha256());
                Jdbc.setNullable(s, 9, run.validation() == null ? null : run.validation().uri());
                Jdbc.setNullable(
                    s, 10, run.validation() == null ? null : run.validation().sha256());
                Jdbc.setNullable(s, 11, run.baseModel());
                s.setString(12, ExperimentStatus.RUNNING.name());
                s.setString(13, "{}");
                s.setObject(14, Jdbc.now());
              });
      if (inserted > 0) {
        return byRun(run.runId(), run.step()).orElseThrow(() -> vanished(run));
      }
      // A concurrent attempt of the same run and step inserted first: continue as its retry.
    }
    ExperimentRun existing = byRun(run.runId(), run.step()).orElseThrow(() -> vanished(run));
    jdbc.update(
        "UPDATE experiment_run SET status = ?, ended_at = NULL, error = NULL WHERE id = ?",
        s -> {
          s.setString(1, ExperimentStatus.RUNNING.name());
          s.setLong(2, existing.id());
        });
    return get(existing.id()).orElseThrow(() -> vanished(run));
  }

  /**
   * Records the metrics of one epoch and the checkpoint saved after it; an epoch recorded before
   * (by an attempt that did not get further) is overwritten.
   */
  public void recordEpoch(long runId, EpochMetrics metrics, ArtifactRef checkpoint) {
    Objects.requireNonNull(metrics, "metrics");
    Jdbc.Binder values =
        s -> {
          s.setDouble(1, metrics.trainLoss());
          if (metrics.validationLoss() == null) {
            s.setNull(2, Types.DOUBLE);
          } else {
            s.setDouble(2, metrics.validationLoss());
          }
          s.setLong(3, metrics.elapsedMillis());
          s.setObject(4, Jdbc.now());
          s.setLong(5, runId);
          s.setInt(6, metrics.epoch());
        };
    String update =
        "UPDATE experiment_epoch SET train_loss = ?, validation_loss = ?, elapsed_ms = ?,"
            + " recorded_at = ? WHERE experiment_run_id = ? AND epoch = ?";
    if (jdbc.update(update, values) == 0) {
      int inserted =
          jdbc.updateUnlessDuplicate(
              "INSERT INTO experiment_epoch (train_loss, validation_loss, elapsed_ms, recorded_at,"
                  + " experiment_run_id, epoch) VALUES (?, ?, ?, ?, ?, ?)",
              values);
      if (inserted < 0) {
        // Another writer inserted this epoch between our update and insert: ours is as recent.
        jdbc.update(update, values);
      }
    }
    if (checkpoint != null) {
      jdbc.update(
          "UPDATE experiment_run SET checkpoint_uri = ?, checkpoint_sha256 = ? WHERE id = ?",
          s -> {
            s.setString(1, checkpoint.uri());
            s.setString(2, checkpoint.sha256());
            s.setLong(3, runId);
          });
    }
  }

  /** Records that the run succeeded with {@code model} and its final {@code metrics}. */
  public void succeeded(long runId, Map<String, Double> metrics, ArtifactRef model) {
    Objects.requireNonNull(model, "model");
    String metricsJson = Jdbc.json(metrics == null ? Map.of() : metrics);
    jdbc.update(
        "UPDATE experiment_run SET status = ?, final_metrics_json = ?, model_uri = ?,"
            + " model_sha256 = ?, error = NULL, ended_at = ? WHERE id = ?",
        s -> {
          s.setString(1, ExperimentStatus.SUCCEEDED.name());
          s.setString(2, metricsJson);
          s.setString(3, model.uri());
          s.setString(4, model.sha256());
          s.setObject(5, Jdbc.now());
          s.setLong(6, runId);
        });
  }

  /**
   * Records that the run ended without a model, {@link ExperimentStatus#FAILED} or {@link
   * ExperimentStatus#CANCELLED}, and why.
   */
  public void ended(long runId, ExperimentStatus status, String error) {
    if (status != ExperimentStatus.FAILED && status != ExperimentStatus.CANCELLED) {
      throw new IllegalArgumentException("A run ends FAILED or CANCELLED here, not " + status);
    }
    String message =
        error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
    jdbc.update(
        "UPDATE experiment_run SET status = ?, error = ?, ended_at = ? WHERE id = ?",
        s -> {
          s.setString(1, status.name());
          Jdbc.setNullable(s, 2, message);
          s.setObject(3, Jdbc.now());
          s.setLong(4, runId);
        });
  }

  /** The run with this id. */
  public Optional<ExperimentRun> get(long id) {
    return jdbc.queryOne(SELECT + "WHERE id = ?", s -> s.setLong(1, id), ExperimentStore::run);
  }

  /** The run recorded for this pipeline run and step. */
  public Optional<ExperimentRun> byRun(String runId, String step) {
    return jdbc.queryOne(
        SELECT + "WHERE run_id = ? AND step = ?",
        s -> {
          s.setString(1, runId);
          s.setString(2, step);
        },
        ExperimentStore::run);
  }

  /** The run's epochs in order: the points of its learning curves. */
  public List<EpochMetrics> epochs(long runId) {
    return jdbc.query(
        "SELECT epoch, train_loss, validation_loss, elapsed_ms FROM experiment_epoch"
            + " WHERE experiment_run_id = ? ORDER BY epoch",
        s -> s.setLong(1, runId),
        r -> {
          double value = r.getDouble("validation_loss");
          Double validation = r.wasNull() ? null : value;
          return new EpochMetrics(
              r.getInt("epoch"), r.getDouble("train_loss"), validation, r.getLong("elapsed_ms"));
        });
  }

  /**
   * Runs newest first.
   *
   * @param pipeline only this pipeline's runs, or {@code null} for all
   * @param status only runs in this status, or {@code null} for all
   * @param limit at most this many (at least 1)
   */
  public List<ExperimentRun> list(String pipeline, ExperimentStatus status, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    List<String> where = new ArrayList<>();
    if (pipeline != null) {
      where.add("pipeline = ?");
    }
    if (status != null) {
      where.add("status = ?");
    }
    String sql =
        SELECT
            + (where.isEmpty() ? "" : "WHERE " + String.join(" AND ", where) + " ")
            + "ORDER BY started_at DESC, id DESC FETCH FIRST "
            + limit
            + " ROWS ONLY";
    return jdbc.query(
        sql,
        s -> {
          int i = 1;
          if (pipeline != null) {
            s.setString(i++, pipeline);
          }
          if (status != null) {
            s.setString(i, status.name());
          }
        },
        ExperimentStore::run);
  }

  /**
   * Two or more runs side by side: hyperparameters, data version, base model and final metrics,
   * with the rows that differ named.
   *
   * @throws IllegalArgumentException for fewer than two distinct ids
   * @throws UnknownExperimentRunException naming every id the store does not hold
   */
  public ExperimentComparison compare(List<Long> ids) {
    List<Long> distinct = List.copyOf(new LinkedHashSet<>(ids));
    if (distinct.size() < 2) {
      throw new IllegalArgumentException("Compare needs at least two different runs, got " + ids);
    }
    List<ExperimentRun> runs = new ArrayList<>();
    List<Long> unknown = new ArrayList<>();
    for (long id : distinct) {
      get(id).ifPresentOrElse(runs::add, () -> unknown.add(id));
    }
    if (!unknown.isEmpty()) {
      throw new UnknownExperimentRunException(unknown);
    }
    Map<String, Map<Long, Object>> hyperparameters =
        rows(
            runs,
            r -> new TreeSet<>(r.hyperparameters().keySet()),
            (r, k) -> r.hyperparameters().get(k));
    Map<String, Map<Long, Object>> data = new LinkedHashMap<>();
    data.put("train", row(runs, ExperimentRun::trainSha256));
    data.put("validation", row(runs, ExperimentRun::validationSha256));
    data.put("baseModel", row(runs, ExperimentRun::baseModel));
    Map<String, Map<Long, Object>> metrics =
        rows(
            runs, r -> new TreeSet<>(r.finalMetrics().keySet()), (r, k) -> r.finalMetrics().get(k));
    List<String> differences = new ArrayList<>();
    differing("hyperparameters.", hyperparameters, differences);
    differing("data.", data, differences);
    differing("metrics.", metrics, differences);
    return new ExperimentComparison(runs, hyperparameters, data, metrics, differences);
  }

  /**
   * The succeeded run with the best final {@code metric}.
   *
   * @param pipeline only this pipeline's runs, or {@code null} for all
   * @param direction which way is better, or {@code null} to infer it from the name ({@link
   *     MetricDirection#infer})
   * @return empty when no run succeeded
   * @throws IllegalArgumentException when no succeeded run has {@code metric}, listing the metrics
   *     they have
   */
  public Optional<ExperimentRun> best(String pipeline, String metric, MetricDirection direction) {
    Objects.requireNonNull(metric, "metric");
    MetricDirection way = direction == null ? MetricDirection.infer(metric) : direction;
    List<String> where = new ArrayList<>(List.of("status = ?"));
    if (pipeline != null) {
      where.add("pipeline = ?");
    }
    List<ExperimentRun> succeeded =
        jdbc.query(
            SELECT + "WHERE " + String.join(" AND ", where) + " ORDER BY started_at, id",
            s -> {
              s.setString(1, ExperimentStatus.SUCCEEDED.name());
              if (pipeline != null) {
                s.setString(2, pipeline);
              }
            },
            ExperimentStore::run);
    if (succeeded.isEmpty()) {
      return Optional.empty();
    }
    ExperimentRun best = null;
    Set<String> known = new TreeSet<>();
    for (ExperimentRun run : succeeded) {
      known.addAll(run.finalMetrics().keySet());
      Double value = run.finalMetrics().get(metric);
      if (value != null
          && !value.isNaN()
          && (best == null || way.better(value, best.finalMetrics().get(metric)))) {
        best = run;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException(
          "No succeeded run"
              + (pipeline == null ? "" : " of pipeline '" + pipeline + "'")
              + " has metric '"
              + metric
              + "'. Their metrics: "
              + known);
    }
    return Optional.of(best);
  }

  private interface Keys {
    Set<String> of(ExperimentRun run);
  }

  private interface Value {
    Object of(ExperimentRun run, String key);
  }

  private static Map<String, Map<Long, Object>> rows(
      List<ExperimentRun> runs, Keys keys, Value value) {
    Set<String> all = new TreeSet<>();
    runs.forEach(r -> all.addAll(keys.of(r)));
    Map<String, Map<Long, Object>> rows = new LinkedHashMap<>();
    for (String key : all) {
      rows.put(key, row(runs, r -> value.of(r, key)));
    }
    return rows;
  }

  private static Map<Long, Object> row(
      List<ExperimentRun> runs, java.util.function.Function<ExperimentRun, Object> value) {
    Map<Long, Object> row = new LinkedHashMap<>();
    runs.forEach(r -> row.put(r.id(), value.apply(r)));
    return row;
  }

  private static void differing(
      String prefix, Map<String, Map<Long, Object>> rows, List<String> differences) {
    rows.forEach(
        (key, row) -> {
          if (new java.util.HashSet<>(row.values()).size() > 1) {
            differences.add(prefix + key);
          }
        });
  }

  private static MetadataStoreException vanished(NewExperimentRun run) {
    return new MetadataStoreException(
        "Experiment run of step '" + run.step() + "' in run " + run.runId() + " vanished");
  }

  private static ExperimentRun run(ResultSet r) throws SQLException {
    return new ExperimentRun(
        r.getLong("id"),
        r.getString("workflow_id"),
        r.getString("run_id"),
        r.getString("step"),
        r.getString("pipeline"),
        Jdbc.fromJson(r.getString("parameters_json"), OBJECTS),
        Jdbc.fromJson(r.getString("hyperparameters_json"), OBJECTS),
        r.getString("train_uri"),
        r.getString("train_sha256"),
        r.getString("validation_uri"),
        r.getString("validation_sha256"),
        r.getString("base_model"),
        ExperimentStatus.valueOf(r.getString("status")),
        Jdbc.fromJson(r.getString("final_metrics_json"), METRICS),
        r.getString("model_uri"),
        r.getString("model_sha256"),
        r.getString("checkpoint_uri"),
        r.getString("checkpoint_sha256"),
        r.getString("error"),
        Jdbc.instant(r, "started_at"),
        Jdbc.instant(r, "ended_at"));
  }
}
