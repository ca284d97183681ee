package dev.lifecycle.activities.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The model registry: numbered versions per model name, each with its artifact, metrics, data
 * version, plan hash and run, an approval status, and movable aliases.
 *
 * <p>Registration is idempotent per run id and step (a retried register activity gets the version
 * its first attempt created), and concurrent registrations of one name never share a version: the
 * database's unique constraint on (name, version) decides, and the loser retries with the next
 * number.
 */
public final class ModelRegistry {
  private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> PARAMETERS = new TypeReference<>() {};
  private static final int MAX_ATTEMPTS = 100;
  private static final String SELECT =
      "SELECT name, version, artifact_uri, artifact_sha256, artifact_size, artifact_format,"
          + " metrics_json, dataset_uri, dataset_sha256, plan_hash, parameters_json, workflow_id,"
          + " run_id, step, approval, approval_updated_at, created_at, approved_by, approval_comment,"
          + " transform_uri, transform_sha256, transform_size FROM model_version ";

  private final Jdbc jdbc;

  ModelRegistry(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Registers a new version of {@code model.name()}, status {@link ApprovalStatus#PENDING}; or,
   * when this run and step registered one already, returns that one unchanged.
   *
   * @throws IllegalArgumentException when this run and step registered a different model name
   */
  public ModelVersion register(NewModelVersion model) {
    Objects.requireNonNull(model, "model");
    String metricsJson = Jdbc.json(model.metrics());
    String parametersJson = Jdbc.json(model.parameters());
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Optional<ModelVersion> earlier = byRun(model.runId(), model.step());
      if (earlier.isPresent()) {
        return sameName(earlier.get(), model);
      }
      int next =
          jdbc.queryOne(
                  "SELECT COALESCE(MAX(version), 0) + 1 FROM model_version WHERE name = ?",
                  s -> s.setString(1, model.name()),
                  r -> r.getInt(1))
              .orElse(1);
      int inserted =
          jdbc.updateUnlessDuplicate(
              "INSERT INTO model_version (name, version, artifact_uri, artifact_sha256,"
                  + " artifact_size, artifact_format, metrics_json, dataset_uri, dataset_sha256,"
                  + " plan_hash, parameters_json, workflow_id, run_id, step, approval, created_at,"
                  + " transform_uri, transform_sha256, transform_size)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              s -> {
                s.setString(1, model.name());
                s.setInt(2, next);
                s.setString(3, model.artifact().uri());
                s.setString(4, model.artifact().sha256());
                s.setLong(5, model.artifact().size());
                Jdbc.setNullable(s, 6, model.artifact().format());
                s.setString(7, metricsJson);
                Jdbc.setNullable(s, 8, model.dataset() == null ? null : model.dataset().uri());
                Jdbc.setNullable(s, 9, model.dataset() == null ? null : model.dataset().sha256());
                Jdbc.setNullable(s, 10, model.planHash());
                s.setString(11, parametersJson);
                Jdbc.setNullable(s, 12, model.workflowId());
                s.setString(13, model.runId());
                s.setString(14, model.step());
                s.setString(15, ApprovalStatus.PENDING.name());
                s.setObject(16, Jdbc.now());
                ArtifactRef transform = model.transform();
                Jdbc.setNullable(s, 17, transform == null ? null : transform.uri());
                Jdbc.setNullable(s, 18, transform == null ? null : transform.sha256());
                if (transform == null) {
                  s.setNull(19, java.sql.Types.BIGINT);
                } else {
                  s.setLong(19, transform.size());
                }
              });
      if (inserted > 0) {
        return get(model.name(), next)
            .orElseThrow(
                () ->
                    new MetadataStoreException(
                        "Model " + model.name() + " v" + next + " vanished after registration"));
      }
      // Lost a race: another writer took this number, or an earlier attempt of this very run and
      // step committed meanwhile (found on the next pass).
      Jdbc.backOff(attempt);
    }
    throw new MetadataStoreException(
        "Could not register a version of model '"
            + model.name()
            + "' after "
            + MAX_ATTEMPTS
            + " attempts: too many concurrent registrations");
  }

  /** Every version of {@code name}, oldest first; empty when the name is unknown. */
  public List<ModelVersion> list(String name) {
    return jdbc.query(
        SELECT + "WHERE name = ? ORDER BY version", s -> s.setString(1, name), ModelRegistry::map);
  }

  /** Version {@code version} of {@code name}. */
  public Optional<ModelVersion> get(String name, int version) {
    return jdbc.queryOne(
        SELECT + "WHERE name = ? AND version = ?",
        s -> {
          s.setString(1, name);
          s.setInt(2, version);
        },
        ModelRegistry::map);
  }

  /** The newest version of {@code name}, whatever its approval status. */
  public Optional<ModelVersion> latest(String name) {
    return jdbc.queryOne(
        SELECT
            + "WHERE name = ? AND version = (SELECT MAX(version) FROM model_version WHERE name ="
            + " ?)",
        s -> {
          s.setString(1, name);
          s.setString(2, name);
        },
        ModelRegistry::map);
  }

  /** The newest version of {@code name} with status {@code status}. */
  public Optional<ModelVersion> latest(String name, ApprovalStatus status) {
    return jdbc.queryOne(
        SELECT + "WHERE name = ? AND approval = ? ORDER BY version DESC FETCH FIRST 1 ROWS ONLY",
        s -> {
          s.setString(1, name);
          s.setString(2, status.name());
        },
        ModelRegistry::map);
  }

  /** The version registered by {@code step} of run {@code runId}. */
  public Optional<ModelVersion> byRun(String runId, String step) {
    return jdbc.queryOne(
        SELECT + "WHERE run_id = ? AND step = ?",
        s -> {
          s.setString(1, runId);
          s.setString(2, step);
        },
        ModelRegistry::map);
  }

  /** The registered model names, sorted. */
  public List<String> names() {
    return jdbc.query(
        "SELECT DISTINCT name FROM model_version ORDER BY name", s -> {}, r -> r.getString(1));
  }

  /**
   * Sets the approval status of a version and returns the version as it now is.
   *
   * @throws IllegalArgumentException naming the model and its versions when there is no such one
   */
  public ModelVersion setApproval(String name, int version, ApprovalStatus status) {
    return setApproval(name, version, status, null, null);
  }

  /** The longest approval comment kept, in characters. */
  public static final int MAX_COMMENT = 4000;

  /**
   * Sets the approval status of a version with who decided and why, and returns the version as it
   * now is. Setting the status it already has, by the same person with the same comment, changes
   * nothing (a retried call is harmless).
   *
   * @throws IllegalArgumentException naming the model and its versions when there is no such one,
   *     or when the approver or comment is too long
   */
  public ModelVersion setApproval(
      String name, int version, ApprovalStatus status, String approver, String comment) {
    Objects.requireNonNull(status, "status");
    if (approver != null && approver.length() > 255) {
      throw new IllegalArgumentException(
          "The approver's name is " + approver.length() + " characters; at most 255 are kept");
    }
    if (comment != null && comment.length() > MAX_COMMENT) {
      throw new IllegalArgumentException(
          "The approval comment is "
              + comment.length()
              + " characters; at most "
              + MAX_COMMENT
              + " are kept");
    }
    Optional<ModelVersion> current = get(name, version);
    if (current.isPresent()
        && current.get().approval() == status
        && Objects.equals(current.get().approvedBy(), approver)
        && Objects.equals(current.get().approvalComment(), comment)) {
      return current.get();
    }
    int updated =
        jdbc.update(
            "UPDATE model_version SET approval = ?, approval_updated_at = ?, approved_by = ?,"
                + " approval_comment = ? WHERE name = ? AND version = ?",
            s -> {
              s.setString(1, status.name());
              s.setObject(2, Jdbc.now());
              Jdbc.setNullable(s, 3, approver);
              Jdbc.setNullable(s, 4, comment);
              s.setString(5, name);
              s.setInt(6, version);
            });
    if (updated == 0) {
      throw noSuchVersion(name, version);
    }
    return get(name, version).orElseThrow(() -> noSuchVersion(name, version));
  }

  /**
   * Points {@code alias} (e.g. {@code production}) of model {@code name} at {@code version}, moving
   * it if it pointed elsewhere.
   *
   * @throws IllegalArgumentException naming the model and its versions when there is no such one
   */
  public void setAlias(String name, String alias, int version) {
    Objects.requireNonNull(alias, "alias");
    if (get(name, version).isEmpty()) {
      throw noSuchVersion(name, version);
    }
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Jdbc.Binder update =
          s -> {
            s.setInt(1, version);
            s.setObject(2, Jdbc.now());
            s.setString(3, name);
            s.setString(4, alias);
          };
      if (jdbc.update(
              "UPDATE model_alias SET version = ?, updated_at = ? WHERE model_name = ? AND alias ="
                  + " ?",
              update)
          > 0) {
        return;
      }
      int inserted =
          jdbc.updateUnlessDuplicate(
              "INSERT INTO model_alias (model_name, alias, version, updated_at) VALUES (?, ?, ?,"
                  + " ?)",
              s -> {
                s.setString(1, name);
                s.setString(2, alias);
                s.setInt(3, version);
                s.setObject(4, Jdbc.now());
              });
      if (inserted > 0) {
        return;
      }
      // Another writer created the alias between our update and insert: update it on the next pass.
      Jdbc.backOff(attempt);
    }
    throw new MetadataStoreException(
        "Could not set alias '" + alias + "' of model '" + name + "': too many concurrent writers");
  }

  /** The aliases of model {@code name} and the versions they point at, by alias. */
  public Map<String, Integer> aliases(String name) {
    Map<String, Integer> aliases = new java.util.TreeMap<>();
    jdbc.query(
            "SELECT alias, version FROM model_alias WHERE model_name = ? ORDER BY alias",
            s -> s.setString(1, name),
            r -> Map.entry(r.getString(1), r.getInt(2)))
        .forEach(e -> aliases.put(e.getKey(), e.getValue()));
    return aliases;
  }

  /** The version that {@code alias} of model {@code name} points at. */
  public Optional<ModelVersion> byAlias(String name, String alias) {
    return jdbc.queryOne(
        SELECT
            + "WHERE name = ? AND version = (SELECT version FROM model_alias WHERE model_name = ?"
            + " AND alias = ?)",
        s -> {
          s.setString(1, name);
          s.setString(2, name);
          s.setString(3, alias);
        },
        ModelRegistry::map);
  }

  private IllegalArgumentException noSuchVersion(String name, int version) {
    List<Integer> versions = list(name).stream().map(ModelVersion::version).toList();
    return new IllegalArgumentException(
        versions.isEmpty()
            ? "No model named '" + name + "' is registered. Registered models: " + names()
            : "Model '" + name + "' has no version " + version + ". Its versions: " + versions);
  }

  private static ModelVersion sameName(ModelVersion earlier, NewModelVersion model) {
    if (!earlier.name().equals(model.name())) {
      throw new IllegalArgumentException(
          "Run "
              + model.runId()
              + " step '"
              + model.step()
              + "' already registered model '"
              + earlier.name()
              + "' v"
              + earlier.version()
              + "; it cannot also register '"
              + model.name()
              + "'");
    }
    return earlier;
  }

  private static ModelVersion map(ResultSet r) throws SQLException {
    return new ModelVersion(
        r.getString("name"),
        r.getInt("version"),
        r.getString("artifact_uri"),
        r.getString("artifact_sha256"),
        r.getLong("artifact_size"),
        r.getString("artifact_format"),
        Jdbc.fromJson(r.getString("metrics_json"), METRICS),
        r.getString("dataset_uri"),
        r.getString("dataset_sha256"),
        r.getString("plan_hash"),
        Jdbc.fromJson(r.getString("parameters_json"), PARAMETERS),
        r.getString("workflow_id"),
        r.getString("run_id"),
        r.getString("step"),
        ApprovalStatus.valueOf(r.getString("approval")),
        Jdbc.instant(r, "approval_updated_at"),
        Jdbc.instant(r, "created_at"),
        r.getString("approved_by"),
        r.getString("approval_comment"),
        r.getString("transform_uri"),
        r.getString("transform_sha256"),
        r.getObject("transform_size") == null ? null : r.getLong("transform_size"));
  }
}
