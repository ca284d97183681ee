package dev.lifecycle.activities.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.activities.training.ParquetDataset;
import dev.lifecycle.activities.training.TestDatasets;
import dev.lifecycle.activities.training.TestModels;
import dev.lifecycle.dsl.plan.BatchTransform;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.DeploymentActivities;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentActivitiesImplTest {
  @TempDir Path tmp;
  private LocalArtifactStore store;
  private TestActivityEnvironment env;
  private final List<Long> heartbeats = new ArrayList<>();

  @BeforeEach
  void setUp() {
    store = new LocalArtifactStore(tmp.resolve("artifacts"));
    env = TestModels.environment();
    // Batches of 7 rows over 50 rows: 8 batches, the last one partial.
    env.registerActivitiesImplementations(new DeploymentActivitiesImpl(store, 7));
    env.setActivityHeartbeatListener(Long.class, heartbeats::add);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private StepResult transform(ArtifactRef model, ArtifactRef dataset) {
    StepTask task =
        new StepTask(
            new RunInfo("wf", "run", "test", "plan", Map.of()),
            new BatchTransform(
                "predict",
                new OutputRef("train", "model"),
                new OutputRef("features", "test"),
                null,
                null),
            Map.of("model", model, "dataset", dataset),
            Map.of());
    return env.newActivityStub(DeploymentActivities.class, TestModels.options())
        .batchTransform(task);
  }

  @Test
  void predictsEveryRowInBatchesAsTheModelDoes() throws Exception {
    ArtifactRef train = TestDatasets.regression(store, tmp, "train", 128, 0.1, 1);
    ArtifactRef test = TestDatasets.regression(store, tmp, "test", 50, 0.1, 2);
    ArtifactRef model = TestModels.train(store, Task.REGRESSION, "y", train, 2);

    StepResult result = transform(model, test);

    assertEquals(50L, ((Number) result.values().get("rows")).longValue());
    assertEquals("50 rows predicted in 8 batches of at most 7 rows", result.summary());
    ArtifactRef predictions = result.artifacts().get("predictions");
    assertEquals(ValueType.PREDICTIONS, predictions.type());
    assertFalse(heartbeats.isEmpty());
    float[] expected;
    String[] labels;
    try (ModelBundle bundle = ModelBundle.load(store.resolve(model));
        ParquetDataset data = ParquetDataset.open(store.resolve(test), "test")) {
      expected = bundle.predict(data.readFloats(List.of("x0", "x1", "x2")));
      labels = data.readStrings("y");
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT \"row\", prediction, y FROM read_parquet('"
                    + store.resolve(predictions)
                    + "') ORDER BY \"row\"")) {
      int n = 0;
      while (rs.next()) {
        assertEquals(n, rs.getLong(1));
        // Whole-set and 7-row batches give the same floats: rows are independent in an MLP.
        assertEquals(expected[n], rs.getDouble(2), 1e-6, "row " + n);
        assertEquals(Double.parseDouble(labels[n]), rs.getDouble(3), 0);
        n++;
      }
      assertEquals(50, n);
    }
  }

  @Test
  void writesClassProbabilitiesWithoutALabelColumn() throws Exception {
    ArtifactRef train = TestDatasets.classification(store, tmp, "train", 200, 1);
    ArtifactRef model = TestModels.train(store, Task.CLASSIFICATION, "kind", train, 3);
    ArtifactRef unlabeled =
        TestDatasets.fromSql(
            store, tmp, "unlabeled", "SELECT range * 0.1 - 1 AS a, 0.5 AS b FROM range(20)");

    StepResult result = transform(model, unlabeled);

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT * FROM read_parquet('"
                    + store.resolve(result.artifacts().get("predictions"))
                    + "') ORDER BY \"row\"")) {
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        columns.add(rs.getMetaData().getColumnName(i));
      }
      assertEquals(
          List.of(
              "row", "prediction", "probability_inner", "probability_left", "probability_right"),
          columns);
      int n = 0;
      while (rs.next()) {
        double sum = rs.getDouble(3) + rs.getDouble(4) + rs.getDouble(5);
        assertEquals(1.0, sum, 1e-5);
        assertTrue(List.of("inner", "left", "right").contains(rs.getString(2)));
        n++;
      }
      assertEquals(20, n);
    }
  }
}
