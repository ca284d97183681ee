package dev.lifecycle.activities.store;

import static dev.lifecycle.activities.store.MetadataStoreTest.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Migrations V5_1 and V5_2 on H2 and PostgreSQL: model transforms and the rollback history. */
class InferencePipelineStoresTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aVersionKeepsItsFeatureTransform(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      ArtifactRef transform = ref("transform", ValueType.TRANSFORM, "json");
      ModelVersion with =
          store
              .models()
              .register(
                  new NewModelVersion(
                      "abalone-age",
                      ref("model", ValueType.MODEL, "djl"),
                      Map.of(),
                      null,
                      "plan",
                      Map.of(),
                      "wf",
                      "run-1",
                      "register",
                      transform));
      ModelVersion without = store.models().register(MetadataStoreTest.newVersion("m", "r", "s"));

      assertEquals(Optional.of(transform), with.transform());
      assertEquals(
          Optional.of(transform), store.models().get("abalone-age", 1).orElseThrow().transform());
      assertEquals(Optional.empty(), without.transform());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rollbacksAreKeptOldestFirstAndLongReasonsCut(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      EndpointStore endpoints = new EndpointStore(store.dataSource());
      Instant at = Instant.parse("2026-11-28T08:00:00Z");
      for (int v = 2; v <= 5; v++) {
        endpoints.recordRollback(
            new EndpointStore.RollbackRecord("abalone", v, 1, "alarm " + v, at.plusSeconds(v)));
      }
      endpoints.recordRollback(
          new EndpointStore.RollbackRecord("other", 9, 8, "x".repeat(5000), at));

      List<EndpointStore.RollbackRecord> last = endpoints.rollbacks("abalone", 3);
      assertEquals(List.of(3, 4, 5), last.stream().map(r -> r.fromVersion()).toList());
      assertEquals(at.plusSeconds(5), last.get(2).at());
      assertEquals("alarm 5", last.get(2).reason());
      String cut = endpoints.rollbacks("other", 10).get(0).reason();
      assertEquals(EndpointStore.MAX_REASON, cut.length());
      assertTrue(cut.endsWith("..."));
    }
  }
}
