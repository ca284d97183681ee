package dev.lifecycle.activities.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Asynchronous invocations of endpoints (table {@code async_request}): stored {@code PENDING}
 * before the caller gets its id, claimed by a worker ({@code RUNNING}), answered ({@code DONE}) or
 * failed ({@code FAILED}). A claim older than the lease may be taken again, so requests held by a
 * worker that died are answered by the next one.
 */
public final class AsyncRequestStore {
  private static final String SELECT =
      "SELECT id, endpoint, status, input_json, output_json, error, model_version, attempts,"
          + " claimed_by, claimed_at, created_at, completed_at FROM async_request ";

  private final Jdbc jdbc;

  /** A store over the metadata database {@code dataSource} (migrated by {@link MetadataStore}). */
  public AsyncRequestStore(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /** An asynchronous request as stored. */
  public record AsyncRequest(
      String id,
      String endpoint,
      String status,
      String inputJson,
      String outputJson,
      String error,
      Integer modelVersion,
      int attempts,
      String claimedBy,
      Instant claimedAt,
      Instant createdAt,
      Instant completedAt) {}

  /** Stores a new {@code PENDING} request. */
  public void submit(String id, String endpoint, String inputJson) {
    Objects.requireNonNull(id, "id");
    jdbc.update(
        "INSERT INTO async_request (id, endpoint, status, input_json, attempts, created_at)"
            + " VALUES (?, ?, 'PENDING', ?, 0, ?)",
        s -> {
          s.setString(1, id);
          s.setString(2, endpoint);
          s.setString(3, inputJson);
          s.setObject(4, Jdbc.now());
        });
  }

  /** The request {@code id}. */
  public Optional<AsyncRequest> get(String id) {
    return jdbc.queryOne(SELECT + "WHERE id = ?", s -> s.setString(1, id), AsyncRequestStore::map);
  }

  /**
   * Claims up to {@code limit} requests of {@code endpoints} for {@code worker}, oldest first:
   * pending ones, and running ones whose claim is older than {@code lease}. Each is claimed by one
   * worker only (a conditional update decides).
   */
  public List<AsyncRequest> claim(
      Collection<String> endpoints, String worker, Duration lease, int limit) {
    if (endpoints.isEmpty()) {
      return List.of();
    }
    OffsetDateTime expired = Jdbc.now().minus(lease);
    String in = String.join(", ", endpoints.stream().map(e -> "?").toList());
    List<String> ids =
        jdbc.query(
            "SELECT id FROM async_request WHERE endpoint IN ("
                + in
                + ") AND (status = 'PENDING' OR (status = 'RUNNING' AND claimed_at < ?))"
                + " ORDER BY created_at, id FETCH FIRST ? ROWS ONLY",
            s -> {
              int i = 1;
              for (String e : endpoints) {
                s.setString(i++, e);
              }
              s.setObject(i++, expired);
              s.setInt(i, limit);
            },
            r -> r.getString(1));
    List<AsyncRequest> claimed = new ArrayList<>();
    for (String id : ids) {
      int updated =
          jdbc.update(
              "UPDATE async_request SET status = 'RUNNING', claimed_by = ?, claimed_at = ?,"
                  + " attempts = attempts + 1 WHERE id = ? AND (status = 'PENDING' OR (status ="
                  + " 'RUNNING' AND claimed_at < ?))",
              s -> {
                s.setString(1, worker);
                s.setObject(2, Jdbc.now());
                s.setString(3, id);
                s.setObject(4, expired);
              });
      if (updated > 0) {
        get(id).ifPresent(claimed::add);
      }
    }
    return claimed;
  }

  /** Stores the answer of a request this worker claimed. */
  public void complete(String id, String worker, int modelVersion, String outputJson) {
    finish(id, worker, "DONE", modelVersion, outputJson, null);
  }

  /** Stores why a request this worker claimed cannot be answered. */
  public void fail(String id, String worker, Integer modelVersion, String error) {
    finish(id, worker, "FAILED", modelVersion, null, error);
  }

  /** How many requests of {@code endpoint} wait for an answer (pending or running). */
  public long waiting(String endpoint) {
    return jdbc.queryOne(
            "SELECT COUNT(*) FROM async_request WHERE endpoint = ? AND status IN ('PENDING',"
                + " 'RUNNING')",
            s -> s.setString(1, endpoint),
            r -> r.getLong(1))
        .orElse(0L);
  }

  private void finish(
      String id, String worker, String status, Integer version, String output, String error) {
    jdbc.update(
        "UPDATE async_request SET status = ?, model_version = ?, output_json = ?, error = ?,"
            + " completed_at = ? WHERE id = ? AND claimed_by = ? AND status = 'RUNNING'",
        s -> {
          s.setString(1, status);
          if (version == null) {
            s.setNull(2, java.sql.Types.INTEGER);
          } else {
            s.setInt(2, version);
          }
          Jdbc.setNullable(s, 3, output);
          Jdbc.setNullable(s, 4, error == null ? null : truncate(error, 4000));
          s.setObject(5, Jdbc.now());
          s.setString(6, id);
          s.setString(7, worker);
        });
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  private static AsyncRequest map(ResultSet r) throws SQLException {
    int version = r.getInt("model_version");
    Integer modelVersion = r.wasNull() ? null : version;
    return new AsyncRequest(
        r.getString("id"),
        r.getString("endpoint"),
        r.getString("status"),
        r.getString("input_json"),
        r.getString("output_json"),
        r.getString("error"),
        modelVersion,
        r.getInt("attempts"),
        r.getString("claimed_by"),
        Jdbc.instant(r, "claimed_at"),
        Jdbc.instant(r, "created_at"),
        Jdbc.instant(r, "completed_at"));
  }
}
