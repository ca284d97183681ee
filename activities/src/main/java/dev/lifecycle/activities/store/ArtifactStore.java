package dev.lifecycle.activities.store;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Path;

/**
 * Content-addressed storage for datasets, models and reports. Storing the same content twice gives
 * the same reference, so a retried activity that stores its output again changes nothing. An
 * interface so that an object store (S3) can follow the local one.
 */
public interface ArtifactStore {

  /**
   * Stores a file, or a directory with everything in it, and returns its reference. The source is
   * copied (moved when it lies in this store's scratch area); it may be deleted afterwards.
   */
  ArtifactRef put(Path source, ValueType type, String format);

  /**
   * A local path holding the artifact's content, checked against the reference's size.
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable, of type {@code MISSING_ARTIFACT},
   *     naming the URI, when it is gone or its size differs
   */
  Path resolve(ArtifactRef ref);

  /** A new empty directory for an activity's work in progress, on the same disk as the store. */
  Path scratch(String prefix);
}
