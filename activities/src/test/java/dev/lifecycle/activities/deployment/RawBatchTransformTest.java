package dev.lifecycle.activities.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.data.FeatureTransformFixtures;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.training.TestDatasets;
import dev.lifecycle.activities.training.TestModels;
import dev.lifecycle.dsl.plan.BatchTransform;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.DeploymentActivities;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch transform of a model packaged with a feature transform: raw rows go through the transform
 * first; rows that already hold the model's features are read as they are.
 */
class RawBatchTransformTest {
  static final Path CSV = Path.of("src/test/resources/data/abalone.csv");

  @TempDir static Path tmp;
  static LocalArtifactStore store;
  static FeatureTransformFixtures.Abalone abalone;
  static TestActivityEnvironment env;

  @BeforeAll
  static void setUp() throws Exception {
    store = new LocalArtifactStore(tmp.resolve("artifacts"));
    abalone = FeatureTransformFixtures.abalone(store, tmp, CSV, 300);
    env = TestModels.environment();
    env.registerActivitiesImplementations(new DeploymentActivitiesImpl(store, 64));
  }

  @AfterAll
  static void tearDown() {
    env.close();
  }

  private static StepResult transform(ArtifactRef dataset, boolean withTransform) {
    Map<String, ArtifactRef> artifacts = new LinkedHashMap<>();
    artifacts.put("model", abalone.model());
    artifacts.put("dataset", dataset);
    if (withTransform) {
      artifacts.put("transform", abalone.fitted().transformRef());
    }
    StepTask task =
        new StepTask(
            new RunInfo("wf", "run", "test", "plan", Map.of()),
            new BatchTransform(
                "predict",
                new OutputRef("train", "model"),
                new OutputRef("ingest", "dataset"),
                null,
                null,
                withTransform ? new OutputRef("features", "transform") : null),
            artifacts,
            Map.of());
    return env.newActivityStub(DeploymentActivities.class, TestModels.options())
        .batchTransform(task);
  }

  private static List<double[]> predictions(StepResult result) throws Exception {
    List<double[]> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT \"row\", prediction, Rings FROM read_parquet('"
                    + store.resolve(result.artifacts().get("predictions"))
                    + "') ORDER BY \"row\"")) {
      while (rs.next()) {
        rows.add(new double[] {rs.getLong(1), rs.getDouble(2), rs.getDouble(3)});
      }
    }
    return rows;
  }

  @Test
  void rawRowsPredictAsTheirTransformedRowsDo() throws Exception {
    StepResult raw = transform(abalone.raw(), true);
    StepResult transformed = transform(abalone.fitted().train(), true);
    StepResult plain = transform(abalone.fitted().train(), false);

    assertTrue(raw.summary().startsWith("300 raw rows predicted"), raw.summary());
    assertTrue(transformed.summary().startsWith("300 rows predicted"), transformed.summary());
    List<double[]> fromRaw = predictions(raw);
    List<double[]> fromFeatures = predictions(transformed);
    assertEquals(300, fromRaw.size());
    for (int i = 0; i < fromRaw.size(); i++) {
      assertEquals(fromFeatures.get(i)[1], fromRaw.get(i)[1], 0.0, "row " + i);
      assertEquals(fromFeatures.get(i)[2], fromRaw.get(i)[2], 0.0, "label of row " + i);
    }
    assertEquals(predictions(plain).get(7)[1], fromFeatures.get(7)[1], 0.0);
  }

  @Test
  void rawRowsThatDoNotFitTheTransformFailNamingTheColumns() throws Exception {
    String csv = CSV.toAbsolutePath().toString();
    ArtifactRef broken =
        TestDatasets.fromSql(
            store,
            tmp,
            "broken",
            "SELECT Sex, CAST(Length AS VARCHAR) AS Length, Diameter, Height, \"Whole.weight\","
                + " \"Shucked.weight\", CASE WHEN Rings > 10 THEN NULL ELSE \"Viscera.weight\" END"
                + " AS \"Viscera.weight\" FROM read_csv_auto('"
                + csv
                + "') LIMIT 50");

    ActivityFailure failure = assertThrows(ActivityFailure.class, () -> transform(broken, true));

    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertEquals(FailureTypes.INVALID_DATA, cause.getType());
    String message = cause.getOriginalMessage();
    assertTrue(message.contains("'Length' is VARCHAR"), message);
    assertTrue(message.contains("'Shell.weight' is missing"), message);
    assertTrue(message.contains("step 'predict'"), message);
  }

  @Test
  void rawRowsWithNullsFailNamingTheColumn() throws Exception {
    String csv = CSV.toAbsolutePath().toString();
    ArtifactRef holes =
        TestDatasets.fromSql(
            store,
            tmp,
            "holes",
            "SELECT * REPLACE (CASE WHEN Rings > 10 THEN NULL ELSE Height END AS Height)"
                + " FROM read_csv_auto('"
                + csv
                + "') LIMIT 50");

    ActivityFailure failure = assertThrows(ActivityFailure.class, () -> transform(holes, true));

    String message = ((ApplicationFailure) failure.getCause()).getOriginalMessage();
    assertTrue(message.contains("'Height' has"), message);
    assertTrue(message.contains("NULL"), message);
  }
}
