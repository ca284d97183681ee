package dev.lifecycle.workflows.activities;

import dev.lifecycle.dsl.plan.ValueType;
import java.util.Objects;

/**
 * A dataset, model, transform, report or predictions file in the artifact store. Artifacts travel
 * through workflows as these references, never as bytes.
 *
 * @param uri where it is, e.g. {@code file:///home/me/.lifecycle/artifacts/sha256/ab/ab12...}
 * @param sha256 the content hash (of the file, or of a directory's canonical listing)
 * @param size bytes
 * @param type what it is
 * @param format how it is stored: {@code parquet}, {@code djl}, {@code json}, {@code csv}
 */
public record ArtifactRef(String uri, String sha256, long size, ValueType type, String format) {
  public ArtifactRef {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(type, "type");
  }
}
