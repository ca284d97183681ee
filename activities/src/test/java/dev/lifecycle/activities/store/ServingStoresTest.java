package dev.lifecycle.activities.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.store.CaptureStore.CapturedRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The serving tables (V4) on H2 and PostgreSQL: endpoints, deployments, async requests, capture.
 */
class ServingStoresTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void recordsEndpointsAndDeploymentsIdempotently(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      EndpointStore endpoints = new EndpointStore(store.dataSource());
      EndpointStore.DeploymentRecord first =
          endpoints.startDeployment("abalone", "abalone-age", 1, "{}", "run-1", "deploy");
      EndpointStore.DeploymentRecord again =
          endpoints.startDeployment("abalone", "abalone-age", 1, "{}", "run-1", "deploy");
      assertEquals(first.id(), again.id());
      assertEquals("ROLLING_OUT", first.state());
      endpoints.finishDeployment(first.id(), "SERVING", null);
      assertEquals("SERVING", endpoints.deployment("run-1", "deploy").orElseThrow().state());

      endpoints.saveEndpoint(
          "abalone", "abalone-age", 1, "{\"mode\":\"REALTIME\"}", "run-1", "deploy");
      endpoints.saveEndpoint(
          "abalone", "abalone-age", 2, "{\"mode\":\"ASYNC\"}", "run-2", "deploy");
      endpoints.saveEndpoint("other", "m", 1, "{}", null, null);
      assertEquals(2, endpoints.endpoint("abalone").orElseThrow().version());
      assertEquals(
          List.of("abalone", "other"), endpoints.serving().stream().map(e -> e.name()).toList());
      assertTrue(endpoints.delete("other"));
      assertEquals(List.of("abalone"), endpoints.serving().stream().map(e -> e.name()).toList());
      assertEquals(1, endpoints.deployments("abalone", 10).size());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void claimsAsyncRequestsOnceAndRetakesExpiredClaims(TestDatabase kind) throws Exception {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      AsyncRequestStore requests = new AsyncRequestStore(store.dataSource());
      for (int i = 0; i < 3; i++) {
        requests.submit("id-" + i, "abalone", "{\"instances\":[]}");
        Thread.sleep(2);
      }
      requests.submit("elsewhere", "other", "{}");
      List<AsyncRequestStore.AsyncRequest> a =
          requests.claim(Set.of("abalone"), "worker-a", Duration.ofMinutes(5), 2);
      assertEquals(List.of("id-0", "id-1"), a.stream().map(r -> r.id()).toList());
      List<AsyncRequestStore.AsyncRequest> b =
          requests.claim(Set.of("abalone"), "worker-b", Duration.ofMinutes(5), 10);
      assertEquals(List.of("id-2"), b.stream().map(r -> r.id()).toList());
      requests.complete("id-0", "worker-a", 3, "{\"predictions\":[1]}");
      // Another worker cannot answer a request it did not claim.
      requests.fail("id-1", "worker-b", null, "not mine");
      assertEquals("RUNNING", requests.get("id-1").orElseThrow().status());
      assertEquals(3, requests.get("id-0").orElseThrow().modelVersion());
      assertEquals("DONE", requests.get("id-0").orElseThrow().status());
      assertNull(requests.get("id-2").orElseThrow().modelVersion());

      // worker-a died holding id-1: with a zero lease, worker-c takes it (and id-2) again.
      Thread.sleep(5);
      List<AsyncRequestStore.AsyncRequest> c =
          requests.claim(Set.of("abalone"), "worker-c", Duration.ZERO, 10);
      assertEquals(List.of("id-1", "id-2"), c.stream().map(r -> r.id()).toList());
      assertEquals(2, requests.get("id-1").orElseThrow().attempts());
      assertEquals(2, requests.waiting("abalone"));
      assertEquals(1, requests.waiting("other"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void capturesRowsReadsWindowsAndJoinsGroundTruth(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      CaptureStore capture = new CaptureStore(store.dataSource());
      Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      List<CapturedRow> rows = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        rows.add(
            new CapturedRow(
                "abalone",
                "r" + i,
                0,
                "abalone-age",
                1,
                "{\"x\":" + i + "}",
                "7.5",
                null,
                t0.plusSeconds(i)));
      }
      capture.insert(rows);
      capture.insert(rows.subList(0, 2));
      assertEquals(5, capture.count("abalone"));
      assertTrue(capture.setGroundTruth("abalone", "r1", 0, "9"));
      assertFalse(capture.setGroundTruth("abalone", "r1", 1, "9"));
      assertEquals(1, capture.instances("abalone", "r1"));

      List<CapturedRow> window = new ArrayList<>();
      capture.window("abalone", t0.plusSeconds(1), t0.plusSeconds(3), window::add);
      assertEquals(List.of("r1", "r2"), window.stream().map(r -> r.requestId()).toList());
      assertEquals("9", window.get(0).groundTruth());
      assertNull(window.get(1).groundTruth());
      assertEquals(t0.plusSeconds(1), window.get(0).capturedAt());
    }
  }
}
