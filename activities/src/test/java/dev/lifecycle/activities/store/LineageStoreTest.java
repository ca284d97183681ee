package dev.lifecycle.activities.store;

import static dev.lifecycle.activities.store.MetadataStoreTest.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LineageStoreTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void recordsAnEdgeOncePerRunAndStep(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      LineageStore lineage = store.lineage();
      ArtifactRef model = ref("model", ValueType.MODEL, "djl");
      ArtifactRef data = ref("data", ValueType.DATASET, "parquet");
      assertTrue(lineage.record(model, LineageStore.TRAINED_ON, data, "r1", "register"));
      assertFalse(lineage.record(model, LineageStore.TRAINED_ON, data, "r1", "register"));
      // A later run deriving the same content is history worth keeping.
      assertTrue(lineage.record(model, LineageStore.TRAINED_ON, data, "r2", "register"));

      List<LineageEdge> up = lineage.upstream(model.sha256());
      assertEquals(2, up.size());
      LineageEdge edge = up.get(0);
      assertEquals(data.sha256(), edge.toSha256());
      assertEquals(data.uri(), edge.toUri());
      assertEquals(model.uri(), edge.fromUri());
      assertEquals("trained_on", edge.relation());
      assertEquals("r1", edge.runId());
      assertEquals("register", edge.step());
      assertEquals(up, lineage.downstream(data.sha256()));
      assertEquals(List.of(), lineage.upstream(data.sha256()));
      assertEquals(1, lineage.ofRun("r2").size());
    }
  }
}
