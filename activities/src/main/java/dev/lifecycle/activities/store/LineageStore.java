package dev.lifecycle.activities.store;

import dev.lifecycle.workflows.activities.ArtifactRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * Lineage edges between artifacts, by content hash. An edge reads "from {@code relation} to": the
 * derived artifact points at what it came from. Recording an edge twice for the same run and step
 * adds nothing, so retried steps leave one edge.
 */
public final class LineageStore {
  /** A dataset or transform computed from another dataset or a source file. */
  public static final String DERIVED_FROM = "derived_from";

  /** A model trained on a dataset. */
  public static final String TRAINED_ON = "trained_on";

  /** A report or metrics computed on a dataset. */
  public static final String EVALUATED_ON = "evaluated_on";

  private static final String SELECT =
      "SELECT from_sha256, from_uri, to_sha256, to_uri, relation, run_id, step, created_at"
          + " FROM lineage_edge ";

  private final Jdbc jdbc;

  LineageStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records that {@code from} {@code relation} {@code to}, e.g. a model {@link #TRAINED_ON} a
   * dataset.
   *
   * @return whether the edge is new (false when this run and step recorded it before)
   */
  public boolean record(
      ArtifactRef from, String relation, ArtifactRef to, String runId, String step) {
    return record(from.sha256(), from.uri(), relation, to.sha256(), to.uri(), runId, step);
  }

  /**
   * Records an edge between contents given by hash and URI (for origins outside the artifact store,
   * such as a source file).
   *
   * @return whether the edge is new (false when this run and step recorded it before)
   */
  public boolean record(
      String fromSha256,
      String fromUri,
      String relation,
      String toSha256,
      String toUri,
      String runId,
      String step) {
    LineageEdge edge =
        new LineageEdge(fromSha256, fromUri, toSha256, toUri, relation, runId, step, null);
    Objects.requireNonNull(edge);
    // Read first so that the common retry case costs no failed statement; the unique constraint
    // still settles a race between two attempts.
    if (exists(edge)) {
      return false;
    }
    return jdbc.updateUnlessDuplicate(
            "INSERT INTO lineage_edge (from_sha256, from_uri, to_sha256, to_uri, relation, run_id,"
                + " step, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            s -> {
              s.setString(1, fromSha256);
              s.setString(2, fromUri);
              s.setString(3, toSha256);
              s.setString(4, toUri);
              s.setString(5, relation);
              s.setString(6, runId);
              s.setString(7, step);
              s.setObject(8, Jdbc.now());
            })
        > 0;
  }

  /** The edges from {@code sha256} to what it came from, oldest first. */
  public List<LineageEdge> upstream(String sha256) {
    return jdbc.query(
        SELECT + "WHERE from_sha256 = ? ORDER BY id",
        s -> s.setString(1, sha256),
        LineageStore::map);
  }

  /** The edges from what came from {@code sha256} to it, oldest first. */
  public List<LineageEdge> downstream(String sha256) {
    return jdbc.query(
        SELECT + "WHERE to_sha256 = ? ORDER BY id", s -> s.setString(1, sha256), LineageStore::map);
  }

  /** The edges recorded by run {@code runId}, oldest first. */
  public List<LineageEdge> ofRun(String runId) {
    return jdbc.query(
        SELECT + "WHERE run_id = ? ORDER BY id", s -> s.setString(1, runId), LineageStore::map);
  }

  private boolean exists(LineageEdge edge) {
    return jdbc.queryOne(
            "SELECT 1 FROM lineage_edge WHERE from_sha256 = ? AND to_sha256 = ? AND relation = ?"
                + " AND run_id = ? AND step = ?",
            s -> {
              s.setString(1, edge.fromSha256());
              s.setString(2, edge.toSha256());
              s.setString(3, edge.relation());
              s.setString(4, edge.runId());
              s.setString(5, edge.step());
            },
            r -> r.getInt(1))
        .isPresent();
  }

  private static LineageEdge map(ResultSet r) throws SQLException {
    return new LineageEdge(
        r.getString("from_sha256"),
        r.getString("from_uri"),
        r.getString("to_sha256"),
        r.getString("to_uri"),
        r.getString("relation"),
        r.getString("run_id"),
        r.getString("step"),
        Jdbc.instant(r, "created_at"));
  }
}
