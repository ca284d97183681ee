package dev.lifecycle.activities.data;

import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.training.TestDatasets;
import dev.lifecycle.activities.training.TestModels;
import dev.lifecycle.dsl.plan.Features;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The features step's work on a raw training set, for tests outside this package: fits the
 * transform as the step does ({@link FeatureFitter}) and writes the transform and the transformed
 * training set with the step's own SQL.
 */
public final class FeatureTransformFixtures {
  private FeatureTransformFixtures() {}

  /**
   * What fitting gave.
   *
   * @param transform the fitted transform
   * @param transformRef its JSON in the artifact store, as the features step stores it
   * @param train the training set transformed by the step's SQL
   */
  public record Fitted(FeatureTransform transform, ArtifactRef transformRef, ArtifactRef train) {}

  /**
   * Fits a features step with {@code label}, one-hot {@code oneHot} and every numeric column
   * standardised on the raw Parquet dataset {@code raw}.
   */
  public static Fitted fit(
      ArtifactStore artifacts, Path tmp, ArtifactRef raw, String label, List<String> oneHot)
      throws Exception {
    Features step =
        new Features(
            "features",
            null,
            null,
            null,
            label,
            oneHot,
            List.of(Features.ALL_NUMERIC),
            List.of(),
            null,
            null);
    Path scratch = Files.createDirectories(tmp.resolve("fit-scratch"));
    Path out = tmp.resolve("features-train.parquet");
    FeatureTransform transform;
    try (Connection db = DuckDb.open(scratch)) {
      String relation = DuckDb.readParquet(artifacts.resolve(raw));
      Map<String, String> relations = new LinkedHashMap<>();
      relations.put("train", relation);
      transform = FeatureFitter.fit(db, step, relations);
      DuckDb.toParquet(db, "SELECT " + transform.selectList() + " FROM " + relation, out);
    }
    Path json = tmp.resolve("transform.json");
    Files.writeString(json, transform.toJson(), StandardCharsets.UTF_8);
    return new Fitted(
        transform,
        artifacts.put(json, ValueType.TRANSFORM, "json"),
        artifacts.put(out, ValueType.DATASET, "parquet"));
  }

  /**
   * The abalone case: the first {@code rows} rows of the test CSV as a raw dataset (Sex VARCHAR,
   * seven DOUBLE measurements, Rings BIGINT), fitted with Sex one-hot and every number
   * standardised, and a regressor trained two epochs on the transformed rows.
   *
   * @param fitted the fitted features step
   * @param raw the raw training set
   * @param model the model trained on {@code fitted.train()}
   */
  public record Abalone(Fitted fitted, ArtifactRef raw, ArtifactRef model) {}

  /** See {@link Abalone}; {@code csv} is the abalone CSV of the tests. */
  public static Abalone abalone(ArtifactStore artifacts, Path tmp, Path csv, int rows)
      throws Exception {
    ArtifactRef raw =
        TestDatasets.fromSql(
            artifacts,
            tmp,
            "abalone-raw",
            "SELECT * FROM read_csv_auto('" + csv.toAbsolutePath() + "') LIMIT " + rows);
    Fitted fitted = fit(artifacts, tmp, raw, "Rings", List.of("Sex"));
    ArtifactRef model = TestModels.train(artifacts, Task.REGRESSION, "Rings", fitted.train(), 2);
    return new Abalone(fitted, raw, model);
  }
}
