package dev.lifecycle.activities.store;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

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

  /**
   * Deletes a scratch directory and everything in it. Best effort: the step's outcome is already
   * decided, and a leftover scratch directory costs only disk space (a warning is logged).
   */
  static void discard(Path scratch) {
    if (scratch == null || !Files.exists(scratch)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(scratch)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      LoggerFactory.getLogger(ArtifactStore.class)
          .warn("Cannot delete scratch directory {}: {}", scratch, e.toString());
    }
  }
}
