package dev.lifecycle.activities.store;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A version of a named dataset in the data catalog: one distinct content, counted from 1 per name.
 *
 * @param name the dataset's name, {@code <pipeline>/<step>} or {@code <pipeline>/<step>/<output>}
 * @param version 1, 2, ... in order of first appearance of each content under this name
 * @param uri where the content is
 * @param sha256 the content's hash
 * @param size bytes
 * @param format how it is stored, e.g. {@code parquet}
 * @param rows number of rows
 * @param columns the columns in order, with their types
 * @param source what it was made from (a source path or URI, or the input dataset's URI); may be
 *     null
 * @param runId the run that first recorded this version; may be null
 * @param step the step that first recorded this version; may be null
 * @param createdAt when it was first recorded
 */
public record DatasetVersion(
    String name,
    int version,
    String uri,
    String sha256,
    long size,
    String format,
    long rows,
    List<DatasetColumn> columns,
    String source,
    String runId,
    String step,
    Instant createdAt) {
  public DatasetVersion {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(sha256, "sha256");
    columns = List.copyOf(columns);
  }

  /** The version's content as an artifact reference. */
  public ArtifactRef artifact() {
    return new ArtifactRef(uri, sha256, size, ValueType.DATASET, format);
  }
}
