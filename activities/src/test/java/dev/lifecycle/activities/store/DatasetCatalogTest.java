package dev.lifecycle.activities.store;

import static dev.lifecycle.activities.store.MetadataStoreTest.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatasetCatalogTest {
  private static final List<DatasetColumn> COLUMNS =
      List.of(new DatasetColumn("Sex", "VARCHAR"), new DatasetColumn("Whole.weight", "DOUBLE"));

  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void sameContentUnderOneNameKeepsItsVersion(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      DatasetCatalog catalog = store.datasets();
      ArtifactRef a = ref("a", ValueType.DATASET, "parquet");
      ArtifactRef b = ref("b", ValueType.DATASET, "parquet");
      DatasetVersion first = catalog.record("p/ingest", a, 10, COLUMNS, "a.csv", "r1", "ingest");
      assertEquals(1, first.version());
      assertEquals(first, catalog.record("p/ingest", a, 10, COLUMNS, "a.csv", "r2", "ingest"));
      assertEquals(
          2, catalog.record("p/ingest", b, 11, COLUMNS, "b.csv", "r3", "ingest").version());
      assertEquals(first, catalog.record("p/ingest", a, 10, COLUMNS, "a.csv", "r4", "ingest"));
      // The same content under another name is a version of that name.
      assertEquals(1, catalog.record("p/other", a, 10, COLUMNS, null, null, null).version());

      assertEquals(List.of(1, 2), catalog.list("p/ingest").stream().map(v -> v.version()).toList());
      DatasetVersion latest = catalog.latest("p/ingest").orElseThrow();
      assertEquals(b.sha256(), latest.sha256());
      assertEquals(11, latest.rows());
      assertEquals(COLUMNS, latest.columns());
      assertEquals("b.csv", latest.source());
      assertEquals("r3", latest.runId());
      assertEquals(b, latest.artifact());
      assertEquals(first, catalog.get("p/ingest", 1).orElseThrow());
      assertTrue(catalog.get("p/ingest", 3).isEmpty());
      assertEquals(2, catalog.withContent(a.sha256()).size());
      assertEquals(List.of("p/ingest", "p/other"), catalog.names());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void concurrentWritersGetDistinctConsecutiveVersions(TestDatabase kind) throws Exception {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      List<Integer> versions =
          ModelRegistryTest.concurrently(
              4,
              t ->
                  () ->
                      IntStream.range(0, 5)
                          .mapToObj(
                              i ->
                                  store
                                      .datasets()
                                      .record(
                                          "shared",
                                          ref("c" + t + "-" + i, ValueType.DATASET, "parquet"),
                                          i,
                                          COLUMNS,
                                          null,
                                          "r" + t,
                                          "ingest")
                                      .version())
                          .toList());
      assertEquals(
          IntStream.rangeClosed(1, 20).boxed().toList(), versions.stream().sorted().toList());
    }
  }
}
