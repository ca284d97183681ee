package dev.lifecycle.activities.store;

import static dev.lifecycle.activities.store.MetadataStoreTest.newVersion;
import static dev.lifecycle.activities.store.MetadataStoreTest.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelRegistryTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void countsVersionsFromOnePerName(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      ModelRegistry models = store.models();
      assertEquals(1, models.register(newVersion("a", "r1", "register")).version());
      assertEquals(2, models.register(newVersion("a", "r2", "register")).version());
      assertEquals(1, models.register(newVersion("b", "r3", "register")).version());
      assertEquals(3, models.register(newVersion("a", "r4", "register")).version());

      assertEquals(List.of(1, 2, 3), models.list("a").stream().map(ModelVersion::version).toList());
      assertEquals(3, models.latest("a").orElseThrow().version());
      assertEquals("r2", models.get("a", 2).orElseThrow().runId());
      assertTrue(models.get("a", 4).isEmpty());
      assertTrue(models.latest("unknown").isEmpty());
      assertEquals(List.of(), models.list("unknown"));
      assertEquals(List.of("a", "b"), models.names());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void registrationIsIdempotentPerRunAndStep(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      ModelRegistry models = store.models();
      ModelVersion first = models.register(newVersion("a", "r1", "register"));
      ModelVersion retried = models.register(newVersion("a", "r1", "register"));
      assertEquals(first, retried);
      assertEquals(1, models.list("a").size());
      // Another step of the same run is a different registration.
      assertEquals(2, models.register(newVersion("a", "r1", "register-again")).version());

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> models.register(newVersion("other", "r1", "register")));
      assertTrue(e.getMessage().contains("'a' v1"), e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void concurrentRegistrationsGetDistinctConsecutiveVersions(TestDatabase kind) throws Exception {
    int threads = 4;
    int perThread = 5;
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      List<Integer> versions =
          concurrently(
              threads,
              t ->
                  () -> {
                    List<Integer> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                      mine.add(
                          store
                              .models()
                              .register(newVersion("contended", "run-" + t + "-" + i, "register"))
                              .version());
                    }
                    return mine;
                  });
      assertEquals(
          IntStream.rangeClosed(1, threads * perThread).boxed().toList(),
          versions.stream().sorted().toList());
      assertEquals(threads * perThread, store.models().list("contended").size());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void concurrentRetriesOfOneRegistrationShareItsVersion(TestDatabase kind) throws Exception {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      store.models().register(newVersion("m", "earlier", "register"));
      List<Integer> versions =
          concurrently(
              4,
              t -> () -> List.of(store.models().register(newVersion("m", "run", "reg")).version()));
      assertEquals(List.of(2, 2, 2, 2), versions);
      assertEquals(2, store.models().list("m").size());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void keepsWhatProducedTheModel(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      ArtifactRef model = ref("model", ValueType.MODEL, "djl");
      ArtifactRef data = ref("data", ValueType.DATASET, "parquet");
      ModelVersion v =
          store
              .models()
              .register(
                  new NewModelVersion(
                      "abalone-age",
                      model,
                      Map.of("rmse", 2.125, "mae", 1.5),
                      data,
                      "planhash",
                      Map.of("epochs", 60, "rmseThreshold", 2.5, "source", "x.csv"),
                      "wf-1",
                      "run-1",
                      "register"));
      ModelVersion read = store.models().get("abalone-age", 1).orElseThrow();
      assertEquals(v, read);
      assertEquals(model, read.artifact());
      assertEquals(Map.of("rmse", 2.125, "mae", 1.5), read.metrics());
      assertEquals(data.uri(), read.datasetUri());
      assertEquals(data.sha256(), read.datasetSha256());
      assertEquals("planhash", read.planHash());
      assertEquals(
          Map.of("epochs", 60, "rmseThreshold", 2.5, "source", "x.csv"), read.parameters());
      assertEquals("wf-1", read.workflowId());
      assertEquals(ApprovalStatus.PENDING, read.approval());
      assertNull(read.approvalUpdatedAt());
      assertNotNull(read.createdAt());
      assertEquals(read, store.models().byRun("run-1", "register").orElseThrow());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void setsApprovalStatus(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      ModelRegistry models = store.models();
      models.register(newVersion("m", "r1", "register"));
      models.register(newVersion("m", "r2", "register"));
      ModelVersion approved = models.setApproval("m", 1, ApprovalStatus.APPROVED);
      assertEquals(ApprovalStatus.APPROVED, approved.approval());
      assertNotNull(approved.approvalUpdatedAt());
      assertEquals(ApprovalStatus.PENDING, models.get("m", 2).orElseThrow().approval());
      assertEquals(1, models.latest("m", ApprovalStatus.APPROVED).orElseThrow().version());
      assertEquals(2, models.latest("m", ApprovalStatus.PENDING).orElseThrow().version());
      assertTrue(models.latest("m", ApprovalStatus.REJECTED).isEmpty());

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> models.setApproval("m", 7, ApprovalStatus.REJECTED));
      assertTrue(e.getMessage().contains("no version 7") && e.getMessage().contains("[1, 2]"));
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> models.setApproval("nope", 1, ApprovalStatus.REJECTED));
      assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void movesAliasesBetweenVersions(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      ModelRegistry models = store.models();
      models.register(newVersion("m", "r1", "register"));
      models.register(newVersion("m", "r2", "register"));
      assertTrue(models.byAlias("m", "production").isEmpty());
      models.setAlias("m", "production", 1);
      assertEquals(1, models.byAlias("m", "production").orElseThrow().version());
      models.setAlias("m", "production", 2);
      assertEquals(2, models.byAlias("m", "production").orElseThrow().version());
      assertThrows(IllegalArgumentException.class, () -> models.setAlias("m", "production", 3));
      assertEquals(2, models.byAlias("m", "production").orElseThrow().version());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void recordsWhoApprovedAVersionAndWhy(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      ModelRegistry models = store.models();
      models.register(newVersion("m", "r1", "register"));
      ModelVersion pending = models.get("m", 1).orElseThrow();
      assertEquals(null, pending.approvedBy());

      ModelVersion rejected =
          models.setApproval("m", 1, ApprovalStatus.REJECTED, "ana", "recall too low");
      assertEquals(ApprovalStatus.REJECTED, rejected.approval());
      assertEquals("ana", rejected.approvedBy());
      assertEquals("recall too low", rejected.approvalComment());
      ModelVersion again =
          models.setApproval("m", 1, ApprovalStatus.REJECTED, "ana", "recall too low");
      assertEquals(rejected.approvalUpdatedAt(), again.approvalUpdatedAt(), "a repeat is a no-op");

      ModelVersion approved = models.setApproval("m", 1, ApprovalStatus.APPROVED, "ben", null);
      assertEquals("ben", approved.approvedBy());
      assertEquals(null, approved.approvalComment());
      assertThrows(
          IllegalArgumentException.class,
          () -> models.setApproval("m", 1, ApprovalStatus.APPROVED, "ben", "x".repeat(4001)));
      assertEquals("ben", models.get("m", 1).orElseThrow().approvedBy(), "nothing stored");

      assertEquals(Map.of(), models.aliases("m"));
      models.setAlias("m", "production", 1);
      models.setAlias("m", "staging", 1);
      assertEquals(Map.of("production", 1, "staging", 1), models.aliases("m"));
    }
  }

  /** Runs {@code task(t)} on {@code threads} threads released at once; all results, flattened. */
  static <T> List<T> concurrently(
      int threads, java.util.function.IntFunction<Callable<List<T>>> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<List<T>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<List<T>> body = task.apply(t);
        futures.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return body.call();
                }));
      }
      List<T> all = new ArrayList<>();
      for (Future<List<T>> f : futures) {
        all.addAll(f.get(120, TimeUnit.SECONDS));
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
