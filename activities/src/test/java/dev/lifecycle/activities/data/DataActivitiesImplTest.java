package dev.lifecycle.activities.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.activities.store.DatasetColumn;
import dev.lifecycle.activities.store.DatasetVersion;
import dev.lifecycle.activities.store.LineageEdge;
import dev.lifecycle.activities.store.LineageStore;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.dsl.plan.Features;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Split;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class DataActivitiesImplTest {
  private static final String ABALONE = "classpath:data/abalone.csv";
  private static final String ABALONE_SHA256 =
      "1f8370b9dddd075b44da3240f99d4ab4fc56df3b2c378dd6607aea429eef82a7";

  @TempDir Path home;
  private LocalArtifactStore artifacts;
  private MetadataStore metadata;
  private DataActivitiesImpl data;

  @BeforeEach
  void open() {
    LifecycleSettings settings = LifecycleSettings.of(home, null, null, null);
    artifacts = new LocalArtifactStore(settings.artifacts());
    metadata = MetadataStore.open(settings);
    data = new DataActivitiesImpl(artifacts, metadata);
  }

  @AfterEach
  void close() {
    metadata.close();
  }

  // ---- ingest -----------------------------------------------------------------------------------

  @Test
  void ingestsTheAbaloneCsvIntoAVersionedParquetDataset() throws Exception {
    StepResult result = ingest("run-1", ABALONE, "csv");

    assertEquals(4177L, result.values().get("rows"));
    assertEquals(9, result.values().get("columns"));
    assertTrue(
        result
            .summary()
            .startsWith(
                "4177 rows × 9 columns (Sex VARCHAR, Length DOUBLE, Diameter DOUBLE,"
                    + " Height DOUBLE,"
                    + " Whole.weight DOUBLE, Shucked.weight DOUBLE, Viscera.weight DOUBLE,"
                    + " Shell.weight DOUBLE, Rings BIGINT)"),
        result.summary());
    ArtifactRef dataset = result.artifacts().get("dataset");
    assertEquals("parquet", dataset.format());

    // The Parquet holds exactly the CSV's rows, in file order.
    List<List<Object>> csv = abaloneRows();
    List<Map<String, Object>> parquet = readParquet(artifacts.resolve(dataset));
    assertEquals(csv.size(), parquet.size());
    for (int i : new int[] {0, 1, 2000, 4176}) {
      assertEquals(csv.get(i), new ArrayList<>(parquet.get(i).values()), "row " + i);
    }

    DatasetVersion version = metadata.datasets().latest("abalone/ingest").orElseThrow();
    assertEquals(1, version.version());
    assertEquals(dataset.sha256(), version.sha256());
    assertEquals(4177, version.rows());
    assertEquals(new DatasetColumn("Rings", "BIGINT"), version.columns().get(8));
    assertEquals(ABALONE, version.source());
    assertEquals("run-1", version.runId());

    LineageEdge edge = metadata.lineage().upstream(dataset.sha256()).get(0);
    assertEquals(LineageStore.DERIVED_FROM, edge.relation());
    assertEquals(ABALONE_SHA256, edge.toSha256());
    assertEquals(ABALONE, edge.toUri());
  }

  @Test
  void reingestingTheSameBytesGivesTheSameDatasetVersion() throws Exception {
    ArtifactRef first = ingest("run-1", ABALONE, "csv").artifacts().get("dataset");
    ArtifactRef retried = ingest("run-1", ABALONE, "auto").artifacts().get("dataset");
    Path file = home.resolve("copy of abalone.csv");
    try (InputStream in = getClass().getResourceAsStream("/data/abalone.csv")) {
      Files.copy(in, file);
    }
    ArtifactRef fromPath = ingest("run-2", file.toString(), "auto").artifacts().get("dataset");
    ArtifactRef fromUri =
        ingest("run-3", file.toUri().toString(), "csv").artifacts().get("dataset");

    assertEquals(first, retried);
    assertEquals(first, fromPath);
    assertEquals(first, fromUri);
    assertEquals(1, metadata.datasets().list("abalone/ingest").size());
    // One edge per run (the retry of run-1 added none), all to the same source content.
    List<LineageEdge> edges = metadata.lineage().upstream(first.sha256());
    assertEquals(
        List.of("run-1", "run-2", "run-3"), edges.stream().map(LineageEdge::runId).toList());
    assertTrue(edges.stream().allMatch(e -> e.toSha256().equals(ABALONE_SHA256)));
    assertEquals(file.toUri().toString(), edges.get(1).toUri());
  }

  @Test
  void ingestsParquetSources() throws Exception {
    ArtifactRef csv = ingest("run-1", ABALONE, "csv").artifacts().get("dataset");
    Path parquet = home.resolve("abalone.parquet");
    Files.copy(artifacts.resolve(csv), parquet);

    StepResult result = ingest("run-2", parquet.toString(), "auto");

    assertEquals(4177L, result.values().get("rows"));
    assertEquals(csv.sha256(), result.artifacts().get("dataset").sha256());
  }

  @Test
  void rejectsAMissingSourceFile() {
    String missing = home.resolve("nope.csv").toString();
    assertInvalidData(() -> ingest("r", missing, "csv"), "nope.csv", "does not exist");
    assertInvalidData(
        () -> ingest("r", "classpath:data/nope.csv", "csv"), "classpath:data/nope.csv");
  }

  @Test
  void rejectsAnEmptySourceFile() throws IOException {
    assertInvalidData(() -> ingest("r", csv("empty.csv", ""), "csv"), "empty.csv", "is empty");
  }

  @Test
  void rejectsACsvWithAHeaderButNoRows() throws IOException {
    assertInvalidData(
        () -> ingest("r", csv("header.csv", "a,b\n"), "csv"), "header.csv", "no rows");
  }

  @Test
  void reportsTheLineOfARaggedCsvRow() throws IOException {
    String file = csv("ragged.csv", "a,b\n1,2\n3,4\n5,6,7\n8,9\n");
    assertInvalidData(() -> ingest("r", file, "csv"), "ragged.csv", "at line 4", "Found: 3");
  }

  @Test
  void reportsTheLineOfAValueThatDoesNotFitItsColumn() throws IOException {
    // Sniffed types come from rows that parse, so the short row on line 3 is what fails.
    String file = csv("short.csv", "a,b\n1,2\n3\n4,5\n");
    assertInvalidData(() -> ingest("r", file, "csv"), "short.csv", "at line 3");
  }

  @Test
  void rejectsUnreadableCsv() throws IOException {
    Path binary = home.resolve("binary.csv");
    Files.write(binary, new byte[] {'a', ',', 'b', '\n', (byte) 0xff, (byte) 0xfe, 0, ',', '1'});
    assertInvalidData(() -> ingest("r", binary.toString(), "csv"), "binary.csv", "line 2");
    String quotes = csv("quotes.csv", "a,b\n1,2\n3,\"unterminated\n4,5\n");
    assertInvalidData(() -> ingest("r", quotes, "csv"), "quotes.csv", "balanced double quotes");
  }

  @Test
  void rejectsUnknownFormats() throws IOException {
    String file = csv("data.txt", "a,b\n1,2\n");
    assertInvalidData(() -> ingest("r", file, "xlsx"), "xlsx", "csv, parquet, auto");
    assertInvalidData(() -> ingest("r", file, "auto"), "data.txt", "set the format");
    assertInvalidData(() -> ingest("r", "s3://bucket/a.csv", "csv"), "s3");
    assertInvalidData(() -> ingest("r", file, "parquet"), "data.txt", "Parquet");
  }

  // ---- split ------------------------------------------------------------------------------------

  @Test
  void splitsBySeededShuffleOfFileOrder() throws Exception {
    ArtifactRef dataset = ingest("run-1", ABALONE, "csv").artifacts().get("dataset");
    StepResult result = split("run-1", dataset, 0.8, 0.1, 0.1, 42);

    assertEquals(3341L, result.values().get("trainRows"));
    assertEquals(417L, result.values().get("validationRows"));
    assertEquals(419L, result.values().get("testRows"));

    // Row i of train is CSV row order[i] for Collections.shuffle's permutation with this seed;
    // validation and test continue the same order.
    List<List<Object>> csv = abaloneRows();
    List<Integer> order = new ArrayList<>(IntStream.range(0, csv.size()).boxed().toList());
    Collections.shuffle(order, new Random(42));
    List<List<Object>> actual = new ArrayList<>();
    for (String part : List.of("train", "validation", "test")) {
      ArtifactRef ref = result.artifacts().get(part);
      for (Map<String, Object> row : readParquet(artifacts.resolve(ref))) {
        actual.add(new ArrayList<>(row.values()));
      }
      DatasetVersion version = metadata.datasets().latest("abalone/split/" + part).orElseThrow();
      assertEquals(ref.sha256(), version.sha256());
      assertEquals(dataset.sha256(), metadata.lineage().upstream(ref.sha256()).get(0).toSha256());
    }
    assertEquals(order.stream().map(csv::get).toList(), actual);
  }

  @Test
  void splitIsReproducibleAndIdempotent() throws Exception {
    ArtifactRef dataset = ingest("run-1", ABALONE, "csv").artifacts().get("dataset");
    StepResult first = split("run-1", dataset, 0.7, 0.15, 0.15, 7);
    StepResult retry = split("run-1", dataset, 0.7, 0.15, 0.15, 7);
    StepResult otherSeed = split("run-2", dataset, 0.7, 0.15, 0.15, 8);

    assertEquals(first.artifacts(), retry.artifacts());
    assertNotEquals(
        first.artifacts().get("train").sha256(), otherSeed.artifacts().get("train").sha256());
    assertEquals(2, metadata.datasets().list("abalone/split/train").size());
    assertEquals(1, metadata.lineage().upstream(first.artifacts().get("test").sha256()).size());
  }

  @Test
  void rejectsSplittingFewerThanThreeRows() throws IOException {
    ArtifactRef two =
        ingest("r", csv("two.csv", "a,b\n1,2\n3,4\n"), "csv").artifacts().get("dataset");
    assertInvalidData(() -> split("r", two, 0.8, 0.1, 0.1, 1), "2 rows", "at least 3");
  }

  @Test
  void giveTheRemainderToTest() {
    assertEquals(29, DataActivitiesImpl.share(100, 0.29));
    assertEquals(3341, DataActivitiesImpl.share(4177, 0.8));
    assertEquals(417, DataActivitiesImpl.share(4177, 0.1));
  }

  // ---- features ---------------------------------------------------------------------------------

  @Test
  void fitsOnTrainAndAppliesToAllThreeSets() throws Exception {
    StepResult split =
        split(
            "run-1", ingest("run-1", ABALONE, "csv").artifacts().get("dataset"), 0.8, 0.1, 0.1, 42);
    StepResult result =
        features("run-1", split.artifacts(), "Rings", List.of("Sex"), List.of("*"), List.of());

    assertEquals(10, result.values().get("featureColumns"));
    FeatureTransform transform =
        FeatureTransform.fromJson(
            Files.readString(artifacts.resolve(result.artifacts().get("transform"))));
    assertEquals(List.of("F", "I", "M"), transform.categories().get("Sex"));
    assertEquals(
        List.of(
            "Sex_F",
            "Sex_I",
            "Sex_M",
            "Length",
            "Diameter",
            "Height",
            "Whole.weight",
            "Shucked.weight",
            "Viscera.weight",
            "Shell.weight",
            "Rings"),
        transform.outputColumns());

    // Mean and population deviation of Length over the training rows, computed here from the CSV.
    List<List<Object>> csv = abaloneRows();
    List<Integer> order = new ArrayList<>(IntStream.range(0, csv.size()).boxed().toList());
    Collections.shuffle(order, new Random(42));
    double[] length =
        order.subList(0, 3341).stream().mapToDouble(i -> (Double) csv.get(i).get(1)).toArray();
    double mean = 0;
    for (double x : length) {
      mean += x;
    }
    mean /= length.length;
    double squares = 0;
    for (double x : length) {
      squares += (x - mean) * (x - mean);
    }
    double std = Math.sqrt(squares / length.length);
    assertEquals(mean, transform.scaling().get("Length").mean(), 1e-12);
    assertEquals(std, transform.scaling().get("Length").std(), 1e-12);

    List<Map<String, Object>> train =
        readParquet(artifacts.resolve(result.artifacts().get("train")));
    assertEquals(3341, train.size());
    assertEquals(transform.outputColumns(), new ArrayList<>(train.get(0).keySet()));
    double standardizedMean =
        train.stream().mapToDouble(r -> (Double) r.get("Length")).average().orElseThrow();
    assertEquals(0, standardizedMean, 1e-9);
    assertTrue(train.stream().allMatch(r -> r.get("Rings") instanceof Long));

    // Serving applies the JSON transform row by row and gets what the features step wrote.
    for (String part : List.of("train", "validation", "test")) {
      List<Map<String, Object>> raw = readParquet(artifacts.resolve(split.artifacts().get(part)));
      List<Map<String, Object>> out = readParquet(artifacts.resolve(result.artifacts().get(part)));
      assertEquals(raw.size(), out.size());
      for (int i = 0; i < raw.size(); i++) {
        float[] expected = new float[transform.features().size()];
        for (int j = 0; j < expected.length; j++) {
          expected[j] = ((Double) out.get(i).get(transform.featureNames().get(j))).floatValue();
        }
        assertArrayEquals(expected, transform.apply(raw.get(i)), part + " row " + i);
        assertEquals(raw.get(i).get("Rings"), out.get(i).get("Rings"));
      }
    }

    assertEquals(
        split.artifacts().get("train").sha256(),
        metadata
            .lineage()
            .upstream(result.artifacts().get("transform").sha256())
            .get(0)
            .toSha256());
    assertEquals(1, metadata.datasets().list("abalone/features/test").size());
  }

  @Test
  void featuresAreIdempotent() throws Exception {
    StepResult split =
        split(
            "run-1", ingest("run-1", ABALONE, "csv").artifacts().get("dataset"), 0.8, 0.1, 0.1, 42);
    StepResult first =
        features("run-1", split.artifacts(), "Rings", List.of("Sex"), List.of("*"), List.of());
    StepResult retry =
        features("run-1", split.artifacts(), "Rings", List.of("Sex"), List.of("*"), List.of());
    assertEquals(first.artifacts(), retry.artifacts());
    assertEquals(1, metadata.datasets().list("abalone/features/train").size());
    assertEquals(2, metadata.lineage().upstream(first.artifacts().get("train").sha256()).size());
  }

  @Test
  void encodesUnseenCategoriesAsZerosAndPassesUnstandardisedNumbersThrough() throws Exception {
    Map<String, ArtifactRef> sets = new HashMap<>();
    sets.put(
        "train", dataset("train.csv", "color,size,id,y\nred,1,a,0.5\nblue,3,b,1.5\nred,5,c,2.5\n"));
    sets.put("validation", dataset("validation.csv", "color,size,id,y\ngreen,2,d,1.0\n"));
    sets.put("test", dataset("test.csv", "color,size,id,y\nblue,4,e,2.0\n"));

    StepResult result = features("run-1", sets, "y", List.of("color"), List.of(), List.of("id"));

    FeatureTransform transform =
        FeatureTransform.fromJson(
            Files.readString(artifacts.resolve(result.artifacts().get("transform"))));
    assertEquals(List.of("color_blue", "color_red", "size", "y"), transform.outputColumns());
    assertEquals(
        List.of(Map.of("color_blue", 0.0, "color_red", 0.0, "size", 2.0, "y", 1.0)),
        readParquet(artifacts.resolve(result.artifacts().get("validation"))));
    assertArrayEquals(new float[] {1, 0, 4}, transform.apply(Map.of("color", "blue", "size", 4L)));
    assertArrayEquals(
        new float[] {0, 0, 2}, transform.apply(Map.of("color", "green", "size", "2")));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> transform.apply(Map.of("color", "red")));
    assertTrue(e.getMessage().contains("'size'"), e.getMessage());
    assertEquals(transform, FeatureTransform.fromJson(transform.toJson()));
  }

  @Test
  void standardisesAConstantColumnToZero() throws Exception {
    Map<String, ArtifactRef> sets = new HashMap<>();
    String rows = "k,x,y\n7,1,0\n7,2,1\n7,3,0\n";
    sets.put("train", dataset("train.csv", rows));
    sets.put("validation", dataset("validation.csv", rows));
    sets.put("test", dataset("test.csv", rows));
    StepResult result = features("run-1", sets, "y", List.of(), List.of("k", "x"), List.of());
    List<Map<String, Object>> train =
        readParquet(artifacts.resolve(result.artifacts().get("train")));
    assertTrue(train.stream().allMatch(r -> r.get("k").equals(0.0)));
    assertEquals(-Math.sqrt(1.5), (Double) train.get(0).get("x"), 1e-12);
  }

  @Test
  void rejectsMissingColumnsListingTheAvailableOnes() throws Exception {
    StepResult split =
        split(
            "run-1", ingest("run-1", ABALONE, "csv").artifacts().get("dataset"), 0.8, 0.1, 0.1, 42);
    assertInvalidData(
        () ->
            features(
                "r", split.artifacts(), "Age", List.of("Gender"), List.of("*"), List.of("Colour")),
        "'Age' (in label)",
        "'Gender' (in oneHot)",
        "'Colour' (in drop)",
        "Whole.weight");
    assertInvalidData(
        () ->
            features("r", split.artifacts(), "Rings", List.of("Sex"), List.of("Lenght"), List.of()),
        "'Lenght' (in standardize)",
        "[Sex, Length,");
  }

  @Test
  void rejectsNonNumericColumnsThatAreNeitherOneHotNorDropped() throws Exception {
    StepResult split =
        split(
            "run-1", ingest("run-1", ABALONE, "csv").artifacts().get("dataset"), 0.8, 0.1, 0.1, 42);
    assertInvalidData(
        () -> features("r", split.artifacts(), "Rings", List.of(), List.of("*"), List.of()),
        "'Sex' (VARCHAR)",
        "oneHot",
        "drop");
  }

  @Test
  void rejectsNullsNamingColumnSetAndCount() throws Exception {
    Map<String, ArtifactRef> sets = new HashMap<>();
    sets.put("train", dataset("train.csv", "x,c,y\n1,a,0\n2,b,1\n"));
    sets.put("validation", dataset("validation.csv", "x,c,y\n,a,0\n,b,1\n3,,1\n"));
    sets.put("test", dataset("test.csv", "x,c,y\n1,a,\n2,b,1\n"));
    assertInvalidData(
        () -> features("r", sets, "y", List.of("c"), List.of("*"), List.of()),
        "'x' has 2 NULL values in the validation set",
        "'c' has 1 NULL value in the validation set",
        "'y' has 1 NULL value in the test set");
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private StepResult ingest(String runId, String source, String format) {
    Step step = new Ingest("ingest", new Literal(source), format, null, null);
    return data.ingest(task(runId, step, Map.of(), Map.of("source", source)));
  }

  private StepResult split(
      String runId, ArtifactRef dataset, double train, double validation, double test, long seed) {
    Step step =
        new Split(
            "split", new OutputRef("ingest", "dataset"), train, validation, test, seed, null, null);
    return data.split(task(runId, step, Map.of("dataset", dataset), Map.of()));
  }

  private StepResult features(
      String runId,
      Map<String, ArtifactRef> sets,
      String label,
      List<String> oneHot,
      List<String> standardize,
      List<String> drop) {
    Step step =
        new Features(
            "features",
            new OutputRef("split", "train"),
            new OutputRef("split", "validation"),
            new OutputRef("split", "test"),
            label,
            oneHot,
            standardize,
            drop,
            null,
            null);
    Map<String, ArtifactRef> inputs = new HashMap<>();
    for (String part : List.of("train", "validation", "test")) {
      inputs.put(part, sets.get(part));
    }
    return data.features(task(runId, step, inputs, Map.of()));
  }

  private static StepTask task(
      String runId, Step step, Map<String, ArtifactRef> artifacts, Map<String, Object> values) {
    return new StepTask(
        new RunInfo("wf-" + runId, runId, "abalone", "planhash", Map.of()),
        step,
        artifacts,
        values);
  }

  /** A small dataset ingested from CSV text, cataloged under a name of its own. */
  private ArtifactRef dataset(String name, String text) throws IOException {
    Path file = home.resolve("sets").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Step step = new Ingest("ingest-" + name, new Literal(file.toString()), "csv", null, null);
    return data.ingest(task("setup", step, Map.of(), Map.of("source", file.toString())))
        .artifacts()
        .get("dataset");
  }

  private String csv(String name, String text) throws IOException {
    Path file = home.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file.toString();
  }

  private static void assertInvalidData(Executable call, String... mentions) {
    ApplicationFailure failure = assertThrows(ApplicationFailure.class, call);
    assertEquals(FailureTypes.INVALID_DATA, failure.getType(), failure.getOriginalMessage());
    assertTrue(failure.isNonRetryable());
    for (String mention : mentions) {
      assertTrue(
          failure.getOriginalMessage().contains(mention),
          "expected '" + mention + "' in: " + failure.getOriginalMessage());
    }
    assertFalse(failure.getOriginalMessage().contains("/tmp/scratch"), "leaks scratch paths");
  }

  /** The abalone CSV parsed by hand: Sex as text, the measurements as doubles, Rings as long. */
  private static List<List<Object>> abaloneRows() throws IOException {
    List<List<Object>> rows = new ArrayList<>();
    try (InputStream in = DataActivitiesImplTest.class.getResourceAsStream("/data/abalone.csv")) {
      byte[] bytes = in.readAllBytes();
      assertEquals(
          ABALONE_SHA256,
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        List<Object> row = new ArrayList<>();
        row.add(f[0].replace("\"", ""));
        for (int i = 1; i < 8; i++) {
          row.add(Double.parseDouble(f[i]));
        }
        row.add(Long.parseLong(f[8]));
        rows.add(row);
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return rows;
  }

  static List<Map<String, Object>> readParquet(Path file) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM read_parquet('" + file + "')")) {
      ResultSetMetaData meta = r.getMetaData();
      while (r.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnName(i), r.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
