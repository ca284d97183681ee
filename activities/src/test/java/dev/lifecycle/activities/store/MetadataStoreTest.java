package dev.lifecycle.activities.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MetadataStoreTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void appliesMigrationsOnceSoReopeningIsANoOp(TestDatabase kind) throws SQLException {
    try (TestDatabase.Instance db = kind.create(tempDir)) {
      int applied;
      try (MetadataStore store = db.open()) {
        applied = store.migrationsApplied();
        assertTrue(applied >= 1, "a fresh database gets every migration");
      }
      long history;
      try (MetadataStore store = db.open()) {
        assertEquals(0, store.migrationsApplied());
        history = historyRows(store);
        assertEquals(applied, history);
      }
      try (MetadataStore store = db.open()) {
        assertEquals(0, store.migrationsApplied());
        assertEquals(history, historyRows(store));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void keepsEverythingAcrossReopen(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir)) {
      ArtifactRef model = ref("m1", ValueType.MODEL, "djl");
      ArtifactRef data = ref("d1", ValueType.DATASET, "parquet");
      try (MetadataStore store = db.open()) {
        store
            .datasets()
            .record(
                "abalone/ingest",
                data,
                4177,
                List.of(new DatasetColumn("Sex", "VARCHAR")),
                "classpath:x.csv",
                "run-1",
                "ingest");
        store
            .models()
            .register(
                new NewModelVersion(
                    "abalone-age",
                    model,
                    Map.of("rmse", 2.13),
                    data,
                    "plan",
                    Map.of("epochs", 60),
                    "wf",
                    "run-1",
                    "register"));
        store.lineage().record(model, LineageStore.TRAINED_ON, data, "run-1", "register");
      }
      try (MetadataStore store = db.open()) {
        assertEquals(4177, store.datasets().latest("abalone/ingest").orElseThrow().rows());
        ModelVersion v = store.models().latest("abalone-age").orElseThrow();
        assertEquals(1, v.version());
        assertEquals(2.13, v.metrics().get("rmse"));
        assertEquals(data.sha256(), v.datasetSha256());
        assertEquals(1, store.lineage().upstream(model.sha256()).size());
      }
    }
  }

  @Test
  void worksOnADataSourceItDoesNotOwn() throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:file:" + tempDir.resolve("own") + ";DB_CLOSE_DELAY=-1");
    try (MetadataStore store = new MetadataStore(h2)) {
      store.models().register(newVersion("m", "run", "register"));
    }
    // The store left the data source usable: reopening over it finds the schema and the row.
    try (MetadataStore store = new MetadataStore(h2)) {
      assertEquals(0, store.migrationsApplied());
      assertEquals(1, store.models().list("m").size());
    }
    try (Connection c = h2.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
  }

  @Test
  void namesTheDatabaseItCannotReach() {
    LifecycleSettings settings =
        LifecycleSettings.of(
            tempDir,
            "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=1&password=secret",
            "u",
            "p");
    MetadataStoreException e =
        assertThrows(MetadataStoreException.class, () -> MetadataStore.open(settings));
    assertTrue(e.getMessage().contains("127.0.0.1:1/nowhere"), e.getMessage());
    assertTrue(!e.getMessage().contains("secret"), e.getMessage());
  }

  static ArtifactRef ref(String seed, ValueType type, String format) {
    String sha = String.format("%064x", new java.math.BigInteger(1, seed.getBytes()));
    return new ArtifactRef("file:///store/sha256/" + sha, sha, seed.length() * 100L, type, format);
  }

  static NewModelVersion newVersion(String name, String runId, String step) {
    return new NewModelVersion(
        name,
        ref(name + runId + step, ValueType.MODEL, "djl"),
        Map.of("rmse", 1.0),
        null,
        "plan",
        Map.of(),
        "wf-" + runId,
        runId,
        step);
  }

  private static long historyRows(MetadataStore store) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT COUNT(*) FROM \"flyway_schema_history\""
                    + " WHERE \"success\" AND \"version\" IS NOT NULL")) {
      r.next();
      return r.getLong(1);
    }
  }
}
