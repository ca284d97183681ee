package dev.lifecycle.activities.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One lineage fact, read as "from {@code relation} to": the derived artifact points at what it came
 * from, e.g. a model {@code trained_on} a dataset, a split {@code derived_from} the ingested
 * dataset.
 *
 * @param fromSha256 the derived artifact's hash
 * @param fromUri the derived artifact's URI
 * @param toSha256 the origin's hash
 * @param toUri the origin's URI (or source path)
 * @param relation e.g. {@link LineageStore#DERIVED_FROM}
 * @param runId the run that recorded it
 * @param step the step that recorded it
 * @param createdAt when it was recorded
 */
public record LineageEdge(
    String fromSha256,
    String fromUri,
    String toSha256,
    String toUri,
    String relation,
    String runId,
    String step,
    Instant createdAt) {
  public LineageEdge {
    Objects.requireNonNull(fromSha256, "fromSha256");
    Objects.requireNonNull(fromUri, "fromUri");
    Objects.requireNonNull(toSha256, "toSha256");
    Objects.requireNonNull(toUri, "toUri");
    Objects.requireNonNull(relation, "relation");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(step, "step");
  }
}
