package dev.lifecycle.activities.deployment.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.dsl.plan.Serving;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several workers over one metadata database: a version promoted on one is picked up by the others
 * without a restart; rollbacks are kept in the database and shown by every worker; captured rows
 * that could not be stored are counted per endpoint.
 */
class ServingSyncTest {
  @TempDir static Path shared;
  static LocalArtifactStore artifacts;
  static ArtifactRef model;

  @TempDir Path tmp;
  MetadataStore metadata;
  final List<ServingRuntime> runtimes = new ArrayList<>();

  @BeforeAll
  static void trainModel() throws Exception {
    artifacts = new LocalArtifactStore(shared.resolve("artifacts"));
    model = ServingFixtures.abaloneModel(artifacts, shared);
  }

  @BeforeEach
  void setUp() {
    metadata = ServingFixtures.metadata(tmp);
    for (int run = 1; run <= 3; run++) {
      ServingFixtures.register(metadata, "abalone-age", model, "run-" + run);
    }
  }

  @AfterEach
  void tearDown() {
    runtimes.forEach(ServingRuntime::close);
    metadata.close();
  }

  private ServingRuntime runtime(Duration sync) {
    ServingRuntime r =
        new ServingRuntime(
            metadata,
            new ServingFixtures.TestLoader(artifacts),
            ServingRuntime.Options.DEFAULT.withSync(sync));
    runtimes.add(r);
    return r;
  }

  private static ModelSpec v(int version) {
    return new ModelSpec("abalone-age", version, model);
  }

  @Test
  void everyWorkerServingAnEndpointPicksUpANewVersionWithoutRestartOrFailedRequest()
      throws Exception {
    ServingRuntime a = runtime(Duration.ofMillis(100));
    ServingRuntime b = runtime(Duration.ofMillis(100));
    a.deploy("abalone", v(1), Serving.DEFAULT, "run-1", "serve").join();
    assertEquals(List.of("abalone"), b.restore());
    assertEquals(1, b.endpoint("abalone").version());

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger answered = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread load =
        new Thread(
            () -> {
              int i = 0;
              while (!stop.get()) {
                try {
                  b.endpoint("abalone").invoke(ServingFixtures.body(i++ % 50));
                  answered.incrementAndGet();
                } catch (RuntimeException e) {
                  failure.compareAndSet(null, e);
                }
              }
            });
    load.start();
    try {
      a.deploy("abalone", v(2), Serving.DEFAULT, "run-2", "serve").join();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (b.endpoint("abalone").version() != 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      int atSwap = answered.get();
      while (answered.get() < atSwap + 50 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } finally {
      stop.set(true);
      load.join();
    }
    assertEquals(2, b.endpoint("abalone").version());
    assertEquals(null, failure.get());
    assertTrue(answered.get() > 50, "answered " + answered.get());
    // The worker that deployed is not moved by its own record, and nothing is left to sync.
    assertEquals(2, a.endpoint("abalone").version());
    assertEquals(List.of(), a.sync());
    assertEquals(List.of(), b.sync());
  }

  @Test
  void syncLeavesAnEndpointAloneWhileARolloutBakesThere() {
    ServingRuntime a = runtime(null);
    ServingRuntime b = runtime(null);
    a.deploy("abalone", v(1), Serving.DEFAULT, "run-1", "serve").join();
    b.restore();
    Serving canary =
        new Serving(
            null,
            null,
            null,
            Serving.Rollout.CANARY,
            10,
            Duration.ofHours(1),
            null,
            null,
            null,
            null);
    b.deploy("abalone", v(3), canary, "run-3", "serve");
    a.deploy("abalone", v(2), Serving.DEFAULT, "run-2", "serve").join();

    assertEquals(List.of(), b.sync());
    assertEquals(1, b.endpoint("abalone").version());
    assertEquals("CANARY", b.endpoint("abalone").status().rollout());
  }

  @Test
  void rollbacksAreKeptInTheDatabaseAndShownByEveryWorker() {
    ServingRuntime a = runtime(null);
    a.deploy("abalone", v(1), Serving.DEFAULT, "run-1", "serve").join();
    Serving canary =
        new Serving(
            null,
            null,
            null,
            Serving.Rollout.CANARY,
            10,
            Duration.ofHours(1),
            null,
            null,
            null,
            null);
    var baking = a.deploy("abalone", v(2), canary, "run-2", "serve");
    a.deploy("abalone", v(3), canary, "run-3", "serve");
    assertTrue(!baking.join().promoted());

    List<RollbackEvent> seen = a.endpoint("abalone").status().rollbacks();
    assertEquals(1, seen.size());
    assertEquals(2, seen.get(0).fromVersion());
    assertEquals(1, seen.get(0).backToVersion());
    assertTrue(seen.get(0).reason().contains("superseded by version 3"), seen.get(0).reason());

    a.close();
    ServingRuntime next = runtime(null);
    next.restore();
    List<RollbackEvent> afterRestart = next.endpoint("abalone").status().rollbacks();
    assertEquals(1, afterRestart.size());
    assertEquals(seen.get(0).reason(), afterRestart.get(0).reason());
    assertEquals(seen.get(0).at().toEpochMilli(), afterRestart.get(0).at().toEpochMilli(), 1);
  }

  @Test
  void capturedRowsTheDatabaseRefusesAreCountedOnTheEndpointsStatus() throws Exception {
    ServingRuntime a = runtime(null);
    Serving capture = new Serving(null, null, null, null, null, null, null, null, null, 1.0);
    a.deploy("abalone", v(1), capture, "run-1", "serve").join();
    a.deploy("other", v(1), capture, "run-1", "serve-other").join();
    try (Connection c = metadata.dataSource().getConnection();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE capture_record");
    }

    a.endpoint("abalone").invoke(ServingFixtures.body(1, 2, 3));
    a.dataCapture().flush();

    assertEquals(3, a.endpoint("abalone").status().captureDropped());
    assertEquals(0, a.endpoint("other").status().captureDropped());
  }
}
