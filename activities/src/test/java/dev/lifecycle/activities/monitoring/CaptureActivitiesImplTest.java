package dev.lifecycle.activities.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.MonitoringActivities.CaptureWindow;
import dev.lifecycle.workflows.activities.MonitoringActivities.WindowRequest;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capture windows exported from the store as datasets the drift checker reads. */
class CaptureActivitiesImplTest {
  @TempDir Path dir;

  @Test
  void exportsTheRequestedRangeAsAContentAddressedDatasetOrNothing() throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
    List<Instant[]> asked = new ArrayList<>();
    CaptureActivitiesImpl captures =
        new CaptureActivitiesImpl(
            store,
            (endpoint, start, end, output) -> {
              asked.add(new Instant[] {start, end});
              if (start.toEpochMilli() >= 1_000) {
                return 0;
              }
              try {
                MonitoringTestData.writeParquet(output, MonitoringTestData.rows(50, 3, 0));
              } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
              }
              return 50;
            });
    CaptureWindow window = captures.window(new WindowRequest("abalone", 0, 1_000));
    assertEquals(ValueType.DATASET, window.data().type());
    assertEquals(
        List.of(Instant.EPOCH, Instant.ofEpochMilli(1_000)),
        List.of(asked.get(0)[0], asked.get(0)[1]));
    assertTrue(Files.isRegularFile(store.resolve(window.data())));
    DriftReport report =
        DriftChecker.check(
            Baselines.compute(store.resolve(window.data()), BaselineOptions.defaults()),
            store.resolve(window.data()));
    assertEquals(50, report.windowRows());
    assertEquals(
        window.data(), captures.window(new WindowRequest("abalone", 0, 1_000)).data(), "retry");

    CaptureWindow none = captures.window(new WindowRequest("abalone", 1_000, 2_000));
    assertNull(none.data());
    assertEquals(1_000, none.startMillis());
  }

  @Test
  void aWindowEndingBeforeItStartsIsRejectedNamingTheDeployment() {
    CaptureActivitiesImpl captures =
        new CaptureActivitiesImpl(
            new LocalArtifactStore(dir.resolve("artifacts")), (e, s, t, o) -> 0);
    ApplicationFailure e =
        assertThrows(
            ApplicationFailure.class, () -> captures.window(new WindowRequest("abalone", 5, 1)));
    assertEquals(FailureTypes.INVALID_DATA, e.getType());
    assertTrue(e.getOriginalMessage().contains("'abalone'"));
  }
}
