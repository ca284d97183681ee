package dev.lifecycle.activities.deployment.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.data.FeatureTransform;
import dev.lifecycle.activities.data.FeatureTransformFixtures;
import dev.lifecycle.activities.data.FeatureTransformFixtures.Fitted;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.NewModelVersion;
import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.activities.training.ParquetDataset;
import dev.lifecycle.activities.training.TestDatasets;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Serving;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An inference pipeline: a model packaged with the fitted feature transform of the features step
 * that produced its training data takes raw abalone records ({@code "Sex": "M"}, {@code "Length":
 * 0.455}, ...), predicts what the transformed row would get offline, and captures the raw inputs.
 */
class InferencePipelineTest {
  static final List<String> RAW =
      List.of(
          "Sex",
          "Length",
          "Diameter",
          "Height",
          "Whole.weight",
          "Shucked.weight",
          "Viscera.weight",
          "Shell.weight");

  @TempDir static Path shared;
  static LocalArtifactStore artifacts;
  static Fitted fitted;
  static ArtifactRef model;
  static List<ObjectNode> records = new ArrayList<>();
  static float[] expected;

  @TempDir Path tmp;
  MetadataStore metadata;
  ServingRuntime serving;

  @BeforeAll
  static void fitTrainAndPredictOffline() throws Exception {
    artifacts = new LocalArtifactStore(shared.resolve("artifacts"));
    String csv = ServingFixtures.CSV.toAbsolutePath().toString();
    FeatureTransformFixtures.Abalone abalone =
        FeatureTransformFixtures.abalone(artifacts, shared, ServingFixtures.CSV, 1000);
    fitted = abalone.fitted();
    model = abalone.model();

    // Offline: the features step's SQL over raw rows the model never saw, then the model.
    ArtifactRef rawTest =
        TestDatasets.fromSql(
            artifacts,
            shared,
            "raw-test",
            "SELECT * FROM read_csv_auto('" + csv + "') LIMIT 64 OFFSET 1000");
    Path transformed = shared.resolve("test-features.parquet");
    fitted
        .transform()
        .applyToParquet(
            artifacts.resolve(rawTest), transformed, shared.resolve("scratch"), "test set");
    try (ModelBundle bundle = ModelBundle.load(artifacts.resolve(model));
        ParquetDataset data = ParquetDataset.open(transformed, "test set")) {
      expected = bundle.predict(data.readFloats(fitted.transform().featureNames()));
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT * FROM read_parquet('" + artifacts.resolve(rawTest) + "')")) {
      while (rs.next()) {
        ObjectNode o = PlanJson.lenient().createObjectNode();
        o.put("Sex", rs.getString("Sex"));
        for (String column : RAW.subList(1, RAW.size())) {
          o.put(column, rs.getDouble(column));
        }
        records.add(o);
      }
    }
    assertEquals(64, records.size());
  }

  @BeforeEach
  void setUp() {
    metadata = ServingFixtures.metadata(tmp);
    serving =
        new ServingRuntime(
            metadata, ModelLoader.fromArtifacts(artifacts), ServingRuntime.Options.DEFAULT);
  }

  @AfterEach
  void tearDown() {
    serving.close();
    metadata.close();
  }

  private static ModelSpec spec(int version) {
    return new ModelSpec("abalone-age", version, model, fitted.transformRef());
  }

  private static JsonNode body(List<? extends JsonNode> instances) {
    ObjectNode body = PlanJson.lenient().createObjectNode();
    ArrayNode array = body.putArray("instances");
    instances.forEach(array::add);
    return body;
  }

  private static JsonNode record(int i, Consumer<ObjectNode> change) {
    ObjectNode o = records.get(i).deepCopy();
    change.accept(o);
    return body(List.of(o));
  }

  @Test
  void rawRecordsPredictBitForBitAsTransformThenModelOffline() {
    serving.deploy("abalone", spec(1), Serving.DEFAULT, null, null).join();

    Prediction p = serving.endpoint("abalone").invoke(body(records));

    assertEquals(64, p.predictions().size());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(
          (double) expected[i], ((Number) p.predictions().get(i)).doubleValue(), 0.0, "row " + i);
    }
    // Positional instances in the order of the raw inputs answer alike.
    ArrayNode positional = PlanJson.lenient().createArrayNode();
    RAW.forEach(column -> positional.add(records.get(5).get(column)));
    Prediction one = serving.endpoint("abalone").invoke(body(List.of(positional)));
    double single = ((Number) one.predictions().get(0)).doubleValue();
    assertEquals((double) expected[5], single, 1e-4);
  }

  @Test
  void theEndpointSchemaIsTheRawColumnsWithTheirTypes() {
    serving.deploy("abalone", spec(1), Serving.DEFAULT, null, null).join();

    EndpointStatus status = serving.endpoint("abalone").status();

    assertEquals(RAW, status.features());
    assertTrue(status.transformsRaw());
    assertEquals(
        new InputSchema.Field("Sex", "string", List.of("F", "I", "M")), status.inputs().get(0));
    assertEquals(new InputSchema.Field("Length", "number", null), status.inputs().get(1));
  }

  @Test
  void badRawInputIsRefusedNamingTheRawFieldAndTheEndpointKeepsServing() {
    serving.deploy("abalone", spec(1), Serving.DEFAULT, null, null).join();
    Endpoint endpoint = serving.endpoint("abalone");
    Map<String, JsonNode> bad = new HashMap<>();
    bad.put("instances[0].Length", record(0, o -> o.remove("Length")));
    bad.put("instances[0].Sex", record(0, o -> o.put("Sex", 1)));
    bad.put("instances[0].Diameter", record(0, o -> o.put("Diameter", "0.4")));
    bad.put("instances[0].Height", record(0, o -> o.putNull("Height")));
    bad.put("instances[0].Rings", record(0, o -> o.put("Rings", 9)));
    bad.put("instances[0].Sex_M", record(0, o -> o.put("Sex_M", 1.0)));
    for (Map.Entry<String, JsonNode> e : bad.entrySet()) {
      InvalidInputException x =
          assertThrows(InvalidInputException.class, () -> endpoint.invoke(e.getValue()));
      assertEquals(e.getKey(), x.field(), x.getMessage());
      assertTrue(x.getMessage().contains(e.getKey()), x.getMessage());
    }
    InvalidInputException label =
        assertThrows(
            InvalidInputException.class, () -> endpoint.invoke(bad.get("instances[0].Rings")));
    assertTrue(label.getMessage().contains("label"), label.getMessage());

    Prediction after = endpoint.invoke(body(List.of(records.get(0))));
    assertEquals(1, after.predictions().size());
  }

  @Test
  void anUnseenCategoryEncodesAsAllZerosAsInTheFeaturesStep() {
    serving.deploy("abalone", spec(1), Serving.DEFAULT, null, null).join();

    Prediction p = serving.endpoint("abalone").invoke(record(3, o -> o.put("Sex", "unknown")));

    Map<String, Object> raw = new HashMap<>();
    RAW.forEach(c -> raw.put(c, c.equals("Sex") ? "unknown" : records.get(3).get(c).doubleValue()));
    float[] row = fitted.transform().apply(raw);
    assertEquals(0f, row[0] + row[1] + row[2]);
    float[] offline;
    try (ModelBundle bundle = ModelBundle.load(artifacts.resolve(model))) {
      offline = bundle.predict(new float[][] {row});
    }
    assertEquals((double) offline[0], ((Number) p.predictions().get(0)).doubleValue(), 0.0);
  }

  @Test
  void dataCaptureRecordsTheRawInputsAndTheWindowKeepsCategoriesAsText() throws Exception {
    Serving capture = new Serving(null, null, null, null, null, null, null, null, null, 1.0);
    serving.deploy("abalone", spec(1), capture, null, null).join();
    Instant start = Instant.now().minusSeconds(1);
    Prediction p = serving.endpoint("abalone").invoke(body(records.subList(0, 10)));

    Path window = tmp.resolve("window.parquet");
    long rows = serving.writeCaptureWindow("abalone", start, Instant.now().plusSeconds(1), window);

    assertEquals(10, rows);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT typeof(Sex), Sex, Length, \"Whole.weight\", prediction FROM read_parquet('"
                    + window
                    + "')")) {
      int i = 0;
      while (rs.next()) {
        assertEquals("VARCHAR", rs.getString(1));
        assertEquals(records.get(i).get("Sex").textValue(), rs.getString(2));
        assertEquals(records.get(i).get("Length").doubleValue(), rs.getDouble(3), 0.0);
        assertEquals(records.get(i).get("Whole.weight").doubleValue(), rs.getDouble(4), 0.0);
        assertEquals(((Number) p.predictions().get(i)).doubleValue(), rs.getDouble(5), 0.0);
        i++;
      }
      assertEquals(10, i);
    }
  }

  @Test
  void aRestartingWorkerServesRawRequestsThroughTheRegisteredTransform() {
    metadata
        .models()
        .register(
            new NewModelVersion(
                "abalone-age",
                model,
                Map.of(),
                null,
                "plan",
                Map.of(),
                "wf",
                "run-1",
                "register",
                fitted.transformRef()));
    assertEquals(
        fitted.transformRef().sha256(),
        metadata.models().get("abalone-age", 1).orElseThrow().transform().orElseThrow().sha256());
    serving.deploy("abalone", spec(1), Serving.DEFAULT, "run-1", "serve").join();

    try (ServingRuntime next =
        new ServingRuntime(
            metadata, ModelLoader.fromArtifacts(artifacts), ServingRuntime.Options.DEFAULT)) {
      assertEquals(List.of("abalone"), next.restore());
      Prediction p = next.endpoint("abalone").invoke(body(records.subList(0, 4)));
      for (int i = 0; i < 4; i++) {
        assertEquals(expected[i], ((Number) p.predictions().get(i)).floatValue(), 1e-4);
      }
      assertEquals(RAW, next.endpoint("abalone").status().features());
    }
  }

  @Test
  void aTransformThatDoesNotComputeTheModelsFeaturesIsRefused() throws Exception {
    FeatureTransform t = fitted.transform();
    FeatureTransform fewer =
        new FeatureTransform(
            FeatureTransform.FORMAT_VERSION,
            t.label(),
            t.labelType(),
            t.inputColumns(),
            t.categories(),
            t.scaling(),
            t.features().subList(1, t.features().size()));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new InputSchema(ModelBundle.readMetadata(artifacts.resolve(model)), fewer, 10));
    assertTrue(e.getMessage().contains("Sex_F"), e.getMessage());
  }
}
