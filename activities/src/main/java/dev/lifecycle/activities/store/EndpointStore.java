package dev.lifecycle.activities.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The endpoints a worker serves and the deployments made to them (tables {@code serving_endpoint}
 * and {@code serving_deployment}). An endpoint row names the version it serves once a rollout has
 * finished; a worker that starts re-creates every endpoint from it. A deployment row per run and
 * step makes the Deploy activity idempotent.
 */
public final class EndpointStore {
  private static final String ENDPOINT_SELECT =
      "SELECT name, model_name, version, serving_json, state, run_id, step, created_at, updated_at"
          + " FROM serving_endpoint ";
  private static final String DEPLOYMENT_SELECT =
      "SELECT id, endpoint, model_name, version, serving_json, state, reason, run_id, step,"
          + " created_at, updated_at FROM serving_deployment ";
  private static final int MAX_ATTEMPTS = 100;

  private final Jdbc jdbc;

  /** A store over the metadata database {@code dataSource} (migrated by {@link MetadataStore}). */
  public EndpointStore(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /** An endpoint as stored. */
  public record EndpointRecord(
      String name,
      String modelName,
      int version,
      String servingJson,
      String state,
      String runId,
      String step,
      Instant createdAt,
      Instant updatedAt) {}

  /**
   * A deployment to an endpoint by one run's deploy step.
   *
   * @param state {@code ROLLING_OUT}, {@code SERVING} or {@code ROLLED_BACK}
   * @param reason why it was rolled back, or null
   */
  public record DeploymentRecord(
      long id,
      String endpoint,
      String modelName,
      int version,
      String servingJson,
      String state,
      String reason,
      String runId,
      String step,
      Instant createdAt,
      Instant updatedAt) {}

  /** The endpoint called {@code name}, whatever its state. */
  public Optional<EndpointRecord> endpoint(String name) {
    return jdbc.queryOne(
        ENDPOINT_SELECT + "WHERE name = ?", s -> s.setString(1, name), EndpointStore::endpoint);
  }

  /** Every endpoint in state {@code SERVING}, by name. */
  public List<EndpointRecord> serving() {
    return jdbc.query(
        ENDPOINT_SELECT + "WHERE state = 'SERVING' ORDER BY name",
        s -> {},
        EndpointStore::endpoint);
  }

  /** Records that endpoint {@code name} now serves {@code version} of {@code modelName}. */
  public void saveEndpoint(
      String name, String modelName, int version, String servingJson, String runId, String step) {
    Objects.requireNonNull(name, "name");
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      int updated =
          jdbc.update(
              "UPDATE serving_endpoint SET model_name = ?, version = ?, serving_json = ?, state ="
                  + " 'SERVING', run_id = ?, step = ?, updated_at = ? WHERE name = ?",
              s -> {
                s.setString(1, modelName);
                s.setInt(2, version);
                s.setString(3, servingJson);
                Jdbc.setNullable(s, 4, runId);
                Jdbc.setNullable(s, 5, step);
                s.setObject(6, Jdbc.now());
                s.setString(7, name);
              });
      if (updated > 0) {
        return;
      }
      int inserted =
          jdbc.updateUnlessDuplicate(
              "INSERT INTO serving_endpoint (name, model_name, version, serving_json, state,"
                  + " run_id, step, created_at, updated_at) VALUES (?, ?, ?, ?, 'SERVING', ?, ?,"
                  + " ?, ?)",
              s -> {
                s.setString(1, name);
                s.setString(2, modelName);
                s.setInt(3, version);
                s.setString(4, servingJson);
                Jdbc.setNullable(s, 5, runId);
                Jdbc.setNullable(s, 6, step);
                s.setObject(7, Jdbc.now());
                s.setObject(8, Jdbc.now());
              });
      if (inserted > 0) {
        return;
      }
      Jdbc.backOff(attempt);
    }
    throw new MetadataStoreException("Could not save endpoint '" + name + "': too many writers");
  }

  /** Marks an endpoint deleted: workers no longer re-create it. Returns whether it existed. */
  public boolean delete(String name) {
    return jdbc.update(
            "UPDATE serving_endpoint SET state = 'DELETED', updated_at = ? WHERE name = ?",
            s -> {
              s.setObject(1, Jdbc.now());
              s.setString(2, name);
            })
        > 0;
  }

  /**
   * Starts recording the deployment of {@code runId}'s step {@code step}, or returns the record an
   * earlier attempt of the same run and step wrote (whatever its state).
   */
  public DeploymentRecord startDeployment(
      String endpoint,
      String modelName,
      int version,
      String servingJson,
      String runId,
      String step) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Optional<DeploymentRecord> earlier = deployment(runId, step);
      if (earlier.isPresent()) {
        return earlier.get();
      }
      int inserted =
          jdbc.updateUnlessDuplicate(
              "INSERT INTO serving_deployment (endpoint, model_name, version, serving_json, state,"
                  + " run_id, step, created_at, updated_at) VALUES (?, ?, ?, ?, 'ROLLING_OUT', ?,"
                  + " ?, ?, ?)",
              s -> {
                s.setString(1, endpoint);
                s.setString(2, modelName);
                s.setInt(3, version);
                s.setString(4, servingJson);
                s.setString(5, runId);
                s.setString(6, step);
                s.setObject(7, Jdbc.now());
                s.setObject(8, Jdbc.now());
              });
      if (inserted < 0) {
        Jdbc.backOff(attempt);
      }
    }
    throw new MetadataStoreException(
        "Could not record the deployment of run " + runId + " step '" + step + "'");
  }

  /** The deployment made by {@code step} of run {@code runId}. */
  public Optional<DeploymentRecord> deployment(String runId, String step) {
    return jdbc.queryOne(
        DEPLOYMENT_SELECT + "WHERE run_id = ? AND step = ?",
        s -> {
          s.setString(1, runId);
          s.setString(2, step);
        },
        EndpointStore::deployment);
  }

  /** The deployments to {@code endpoint}, newest first, at most {@code limit}. */
  public List<DeploymentRecord> deployments(String endpoint, int limit) {
    return jdbc.query(
        DEPLOYMENT_SELECT + "WHERE endpoint = ? ORDER BY id DESC FETCH FIRST ? ROWS ONLY",
        s -> {
          s.setString(1, endpoint);
          s.setInt(2, limit);
        },
        EndpointStore::deployment);
  }

  /**
   * A rollback of a rollout on an endpoint.
   *
   * @param fromVersion the version rolled back
   * @param backToVersion the version that kept serving
   * @param reason why (an alarm, or a newer rollout superseding it)
   * @param at when
   */
  public record RollbackRecord(
      String endpoint, int fromVersion, int backToVersion, String reason, Instant at) {}

  /** The most characters a stored rollback reason keeps. */
  public static final int MAX_REASON = 4000;

  /** Records a rollback on {@code rollback.endpoint()}; a longer reason is cut to its column. */
  public void recordRollback(RollbackRecord rollback) {
    String reason =
        rollback.reason().length() > MAX_REASON
            ? rollback.reason().substring(0, MAX_REASON - 3) + "..."
            : rollback.reason();
    jdbc.update(
        "INSERT INTO serving_rollback (endpoint, from_version, back_to_version, reason,"
            + " rolled_back_at) VALUES (?, ?, ?, ?, ?)",
        s -> {
          s.setString(1, rollback.endpoint());
          s.setInt(2, rollback.fromVersion());
          s.setInt(3, rollback.backToVersion());
          s.setString(4, reason);
          s.setObject(5, rollback.at().atOffset(java.time.ZoneOffset.UTC));
        });
  }

  /** The last {@code limit} rollbacks on {@code endpoint} by any worker, oldest first. */
  public List<RollbackRecord> rollbacks(String endpoint, int limit) {
    List<RollbackRecord> newestFirst =
        jdbc.query(
            "SELECT endpoint, from_version, back_to_version, reason, rolled_back_at FROM"
                + " serving_rollback WHERE endpoint = ? ORDER BY id DESC FETCH FIRST ? ROWS ONLY",
            s -> {
              s.setString(1, endpoint);
              s.setInt(2, limit);
            },
            r ->
                new RollbackRecord(
                    r.getString("endpoint"),
                    r.getInt("from_version"),
                    r.getInt("back_to_version"),
                    r.getString("reason"),
                    Jdbc.instant(r, "rolled_back_at")));
    List<RollbackRecord> oldestFirst = new java.util.ArrayList<>(newestFirst);
    java.util.Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  /** Sets the outcome of a deployment: {@code SERVING} or {@code ROLLED_BACK} with a reason. */
  public void finishDeployment(long id, String state, String reason) {
    jdbc.update(
        "UPDATE serving_deployment SET state = ?, reason = ?, updated_at = ? WHERE id = ?",
        s -> {
          s.setString(1, state);
          Jdbc.setNullable(s, 2, reason);
          s.setObject(3, Jdbc.now());
          s.setLong(4, id);
        });
  }

  private static EndpointRecord endpoint(ResultSet r) throws SQLException {
    return new EndpointRecord(
        r.getString("name"),
        r.getString("model_name"),
        r.getInt("version"),
        r.getString("serving_json"),
        r.getString("state"),
        r.getString("run_id"),
        r.getString("step"),
        Jdbc.instant(r, "created_at"),
        Jdbc.instant(r, "updated_at"));
  }

  private static DeploymentRecord deployment(ResultSet r) throws SQLException {
    return new DeploymentRecord(
        r.getLong("id"),
        r.getString("endpoint"),
        r.getString("model_name"),
        r.getInt("version"),
        r.getString("serving_json"),
        r.getString("state"),
        r.getString("reason"),
        r.getString("run_id"),
        r.getString("step"),
        Jdbc.instant(r, "created_at"),
        Jdbc.instant(r, "updated_at"));
  }
}
