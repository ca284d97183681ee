package dev.lifecycle.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.evaluation.EvaluationActivitiesImpl;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.dsl.plan.Evaluate;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The abalone pipeline's training on the real UCI data: features prepared in plain SQL as the
 * features step does (one-hot Sex, standardised by the training split), then the example's
 * hyperparameters. Published regressors reach a test RMSE of 2.0 to 2.3 rings.
 */
class AbaloneTrainingTest {
  private static final Path CSV = Path.of("../examples/src/main/resources/datasets/abalone.csv");
  private static final List<String> NUMERIC =
      List.of(
          "Length",
          "Diameter",
          "Height",
          "Whole.weight",
          "Shucked.weight",
          "Viscera.weight",
          "Shell.weight");

  @TempDir Path tmp;

  @Test
  void reachesPublishedTestRmseOnAbalone() throws Exception {
    assertTrue(Files.isRegularFile(CSV), "missing " + CSV.toAbsolutePath());
    LocalArtifactStore store = new LocalArtifactStore(tmp.resolve("artifacts"));
    Map<String, ArtifactRef> splits = prepare(store);

    Train step =
        new Train(
            "train",
            new OutputRef("features", "train"),
            new OutputRef("features", "validation"),
            "Rings",
            Task.REGRESSION,
            List.of(64, 32),
            new Literal(60),
            new Literal(32),
            new Literal(0.003),
            7,
            null,
            null);
    RunInfo run = new RunInfo("wf", "run", "abalone", "plan", Map.of());
    TestActivityEnvironment env = TestModels.environment();
    env.registerActivitiesImplementations(new TrainingActivitiesImpl(store));
    long started = System.nanoTime();
    StepResult trained;
    try {
      trained =
          env.newActivityStub(TrainingActivities.class, TestModels.options())
              .train(
                  new StepTask(
                      run,
                      step,
                      Map.of("train", splits.get("train"), "validation", splits.get("validation")),
                      Map.of("epochs", 60, "batchSize", 32, "learningRate", 0.003)));
    } finally {
      env.close();
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    Evaluate evaluate =
        new Evaluate(
            "evaluate",
            new OutputRef("train", "model"),
            new OutputRef("features", "test"),
            "Rings",
            Task.REGRESSION,
            null,
            null);
    StepResult scored =
        new EvaluationActivitiesImpl(store)
            .evaluate(
                new StepTask(
                    run,
                    evaluate,
                    Map.of(
                        "model", trained.artifacts().get("model"), "dataset", splits.get("test")),
                    Map.of()));
    System.out.printf(
        "abalone: train %s in %.1f s wall; test %s%n",
        trained.summary(), seconds, scored.summary());

    assertEquals(60, trained.values().get("epochs"));
    double rmse = scored.metrics().get("rmse");
    assertTrue(rmse >= 1.9 && rmse <= 2.4, "test RMSE " + rmse);
  }

  /** Train, validation and test sets as the features step lays them out. */
  private static Map<String, ArtifactRef> prepare(LocalArtifactStore store) throws Exception {
    StringBuilder features =
        new StringBuilder(
            "CAST(Sex = 'F' AS DOUBLE) AS Sex_F, CAST(Sex = 'I' AS DOUBLE) AS Sex_I,"
                + " CAST(Sex = 'M' AS DOUBLE) AS Sex_M");
    StringBuilder stats = new StringBuilder("SELECT ");
    for (int i = 0; i < NUMERIC.size(); i++) {
      String c = '"' + NUMERIC.get(i) + '"';
      features.append(", (").append(c).append(" - m").append(i).append(") / s").append(i);
      features.append(" AS ").append(c);
      stats.append(i == 0 ? "" : ", ").append("avg(").append(c).append(") AS m").append(i);
      stats.append(", stddev_samp(").append(c).append(") AS s").append(i);
    }
    stats.append(" FROM split WHERE part = 'train'");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE raw AS SELECT row_number() OVER () AS id, * FROM read_csv_auto('"
              + CSV.toAbsolutePath()
              + "')");
      // A seeded shuffle: order by a hash of the row id and the seed 42, then cut 80/10/10.
      st.execute(
          "CREATE TABLE split AS SELECT *, CASE WHEN r <= 0.8 * n THEN 'train'"
              + " WHEN r <= 0.9 * n THEN 'validation' ELSE 'test' END AS part"
              + " FROM (SELECT *, row_number() OVER (ORDER BY hash(id, 42)) AS r,"
              + " count(*) OVER () AS n FROM raw)");
      st.execute("CREATE TABLE stats AS " + stats);
      for (String part : List.of("train", "validation", "test")) {
        Path file = store.scratch("abalone").resolve(part + ".parquet");
        st.execute(
            "COPY (SELECT "
                + features
                + ", Rings FROM split, stats WHERE part = '"
                + part
                + "' ORDER BY r) TO '"
                + file
                + "' (FORMAT parquet)");
      }
    }
    Map<String, ArtifactRef> refs = new java.util.LinkedHashMap<>();
    try (var dirs = Files.list(store.root().resolve("tmp"))) {
      for (Path dir : dirs.toList()) {
        try (var files = Files.list(dir)) {
          for (Path file : files.toList()) {
            String name = file.getFileName().toString().replace(".parquet", "");
            refs.put(name, store.put(file, dev.lifecycle.dsl.plan.ValueType.DATASET, "parquet"));
          }
        }
      }
    }
    assertEquals(3, refs.size(), refs.toString());
    return refs;
  }
}
