package dev.lifecycle.activities.monitoring;

import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.CaptureActivities;
import dev.lifecycle.workflows.activities.MonitoringActivities.CaptureWindow;
import dev.lifecycle.workflows.activities.MonitoringActivities.WindowRequest;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves monitors their windows from the data-capture store: the rows are exported as Parquet
 * (features, {@code prediction}, {@code ground_truth}, request id, model version, capture time) and
 * stored as a content-addressed dataset, so a retried export stores nothing new.
 */
public final class CaptureActivitiesImpl implements CaptureActivities {
  private static final Logger log = LoggerFactory.getLogger(CaptureActivitiesImpl.class);

  /** Writes the rows of an endpoint captured in {@code [start, end)}; returns how many. */
  @FunctionalInterface
  public interface WindowWriter {
    long write(String endpoint, Instant start, Instant end, Path output);
  }

  private final ArtifactStore artifacts;
  private final WindowWriter writer;

  public CaptureActivitiesImpl(ArtifactStore artifacts, WindowWriter writer) {
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    this.writer = Objects.requireNonNull(writer, "writer");
  }

  @Override
  public CaptureWindow window(WindowRequest request) {
    if (request.endMillis() < request.startMillis()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The capture window of '"
              + request.deployment()
              + "' ends before it starts: "
              + Instant.ofEpochMilli(request.startMillis())
              + " to "
              + Instant.ofEpochMilli(request.endMillis()),
          FailureTypes.INVALID_DATA);
    }
    Path scratch = artifacts.scratch("capture-window");
    try {
      Path file = scratch.resolve("window.parquet");
      long rows =
          writer.write(
              request.deployment(),
              Instant.ofEpochMilli(request.startMillis()),
              Instant.ofEpochMilli(request.endMillis()),
              file);
      ArtifactRef data = rows == 0 ? null : artifacts.put(file, ValueType.DATASET, "parquet");
      log.info(
          "Capture window of '{}' [{}, {}): {} rows",
          request.deployment(),
          Instant.ofEpochMilli(request.startMillis()),
          Instant.ofEpochMilli(request.endMillis()),
          rows);
      return new CaptureWindow(
          request.deployment(), request.startMillis(), request.endMillis(), data);
    } finally {
      ArtifactStore.discard(scratch);
    }
  }
}
