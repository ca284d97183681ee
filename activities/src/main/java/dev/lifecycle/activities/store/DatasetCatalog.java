package dev.lifecycle.activities.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The data catalog: versions of named datasets. A version is one distinct content (sha256) under a
 * name; recording content the name already has returns its existing version, so retried and
 * repeated ingests add nothing.
 */
public final class DatasetCatalog {
  private static final TypeReference<List<DatasetColumn>> COLUMNS = new TypeReference<>() {};
  private static final int MAX_ATTEMPTS = 100;
  private static final String SELECT =
      "SELECT name, version, uri, sha256, size_bytes, format, row_count, columns_json, source,"
          + " run_id, step, created_at FROM dataset_version ";

  private final Jdbc jdbc;

  DatasetCatalog(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records {@code artifact} as a version of {@code name}, or returns the version that already has
   * its content. Safe to call concurrently: competing writers get distinct consecutive versions.
   *
   * @param source what the dataset was made from, for people; may be null
   * @param runId the recording run, or null
   * @param step the recording step, or null
   */
  public DatasetVersion record(
      String name,
      ArtifactRef artifact,
      long rows,
      List<DatasetColumn> columns,
      String source,
      String runId,
      String step) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(artifact, "artifact");
    String columnsJson = Jdbc.json(List.copyOf(columns));
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Optional<DatasetVersion> existing = bySha256(name, artifact.sha256());
      if (existing.isPresent()) {
        return existing.get();
      }
      int next =
          jdbc.queryOne(
                  "SELECT COALESCE(MAX(version), 0) + 1 FROM dataset_version WHERE name = ?",
                  s -> s.setString(1, name),
                  r -> r.getInt(1))
              .orElse(1);
      int inserted =
          jdbc.updateUnlessDuplicate(
              "INSERT INTO dataset_version (name, version, uri, sha256, size_bytes, format,"
                  + " row_count, columns_json, source, run_id, step, created_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              s -> {
                s.setString(1, name);
                s.setInt(2, next);
                s.setString(3, artifact.uri());
                s.setString(4, artifact.sha256());
                s.setLong(5, artifact.size());
                s.setString(6, artifact.format() == null ? "unknown" : artifact.format());
                s.setLong(7, rows);
                s.setString(8, columnsJson);
                Jdbc.setNullable(s, 9, source);
                Jdbc.setNullable(s, 10, runId);
                Jdbc.setNullable(s, 11, step);
                s.setObject(12, Jdbc.now());
              });
      if (inserted > 0) {
        return get(name, next)
            .orElseThrow(
                () -> new MetadataStoreException("Dataset " + name + " v" + next + " vanished"));
      }
      // Lost a race: either the same content (found on the next pass) or the same version number.
      Jdbc.backOff(attempt);
    }
    throw new MetadataStoreException(
        "Could not record a version of dataset '"
            + name
            + "' after "
            + MAX_ATTEMPTS
            + " attempts: too many concurrent writers");
  }

  /** Every version of {@code name}, oldest first; empty when the name is unknown. */
  public List<DatasetVersion> list(String name) {
    return jdbc.query(
        SELECT + "WHERE name = ? ORDER BY version", s -> s.setString(1, name), DatasetCatalog::map);
  }

  /** Version {@code version} of {@code name}. */
  public Optional<DatasetVersion> get(String name, int version) {
    return jdbc.queryOne(
        SELECT + "WHERE name = ? AND version = ?",
        s -> {
          s.setString(1, name);
          s.setInt(2, version);
        },
        DatasetCatalog::map);
  }

  /** The newest version of {@code name}. */
  public Optional<DatasetVersion> latest(String name) {
    return jdbc.queryOne(
        SELECT
            + "WHERE name = ? AND version = (SELECT MAX(version) FROM dataset_version WHERE name"
            + " = ?)",
        s -> {
          s.setString(1, name);
          s.setString(2, name);
        },
        DatasetCatalog::map);
  }

  /** The version of {@code name} whose content is {@code sha256}. */
  public Optional<DatasetVersion> bySha256(String name, String sha256) {
    return jdbc.queryOne(
        SELECT + "WHERE name = ? AND sha256 = ?",
        s -> {
          s.setString(1, name);
          s.setString(2, sha256);
        },
        DatasetCatalog::map);
  }

  /** Every catalogued version, under any name, whose content is {@code sha256}. */
  public List<DatasetVersion> withContent(String sha256) {
    return jdbc.query(
        SELECT + "WHERE sha256 = ? ORDER BY name, version",
        s -> s.setString(1, sha256),
        DatasetCatalog::map);
  }

  /** The names in the catalog, sorted. */
  public List<String> names() {
    return jdbc.query(
        "SELECT DISTINCT name FROM dataset_version ORDER BY name", s -> {}, r -> r.getString(1));
  }

  private static DatasetVersion map(ResultSet r) throws SQLException {
    return new DatasetVersion(
        r.getString("name"),
        r.getInt("version"),
        r.getString("uri"),
        r.getString("sha256"),
        r.getLong("size_bytes"),
        r.getString("format"),
        r.getLong("row_count"),
        Jdbc.fromJson(r.getString("columns_json"), COLUMNS),
        r.getString("source"),
        r.getString("run_id"),
        r.getString("step"),
        Jdbc.instant(r, "created_at"));
  }
}
