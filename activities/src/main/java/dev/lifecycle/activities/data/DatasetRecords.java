package dev.lifecycle.activities.data;

import dev.lifecycle.activities.store.DatasetColumn;
import dev.lifecycle.activities.store.DatasetVersion;
import dev.lifecycle.activities.store.LineageStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.StepTask;
import java.util.List;
import java.util.Objects;

/**
 * What a data step records of a dataset it wrote: a version in the data catalog, and lineage to
 * what it was derived from. Both are idempotent, so a retried step records nothing new.
 */
final class DatasetRecords {
  private final MetadataStore metadata;

  DatasetRecords(MetadataStore metadata) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
  }

  /** The catalog name of a step's dataset: {@code <pipeline>/<step>}, then {@code /<output>}. */
  static String name(StepTask task, String... output) {
    String name = task.run().pipeline() + "/" + task.stepName();
    return output.length == 0 ? name : name + "/" + String.join("/", output);
  }

  /** Records {@code ref} as the next version of dataset {@code name}, read from {@code source}. */
  DatasetVersion catalog(
      StepTask task,
      String name,
      ArtifactRef ref,
      long rows,
      List<DatasetColumn> columns,
      String source) {
    return metadata
        .datasets()
        .record(name, ref, rows, columns, source, task.run().runId(), task.stepName());
  }

  /** Lineage: {@code dataset} was derived from a file outside the store. */
  void derivedFrom(StepTask task, ArtifactRef dataset, String sourceSha256, String sourceUri) {
    metadata
        .lineage()
        .record(
            dataset.sha256(),
            dataset.uri(),
            LineageStore.DERIVED_FROM,
            sourceSha256,
            sourceUri,
            task.run().runId(),
            task.stepName());
  }

  /** Lineage: {@code dataset} was derived from {@code input}, an artifact of the store. */
  void derivedFrom(StepTask task, ArtifactRef dataset, ArtifactRef input) {
    metadata
        .lineage()
        .record(dataset, LineageStore.DERIVED_FROM, input, task.run().runId(), task.stepName());
  }
}
