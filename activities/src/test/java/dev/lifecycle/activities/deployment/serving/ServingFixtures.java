package dev.lifecycle.activities.deployment.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.ModelVersion;
import dev.lifecycle.activities.store.NewModelVersion;
import dev.lifecycle.activities.training.ModelMetadata;
import dev.lifecycle.activities.training.TestDatasets;
import dev.lifecycle.activities.training.TestModels;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A small abalone model (the UCI data of the tests, Sex one-hot plus the seven measurements, two
 * epochs) and a loader that counts loads, calls and closes and can inject failures or delays into
 * chosen versions.
 */
public final class ServingFixtures {
  static final Path CSV = Path.of("src/test/resources/data/abalone.csv");
  static final List<String> FEATURES =
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
          "Shell.weight");

  private ServingFixtures() {}

  /** Trains the abalone regressor into {@code artifacts}. */
  public static ArtifactRef abaloneModel(ArtifactStore artifacts, Path tmp) throws Exception {
    if (!Files.isRegularFile(CSV)) {
      throw new IllegalStateException("missing " + CSV.toAbsolutePath());
    }
    ArtifactRef train =
        TestDatasets.fromSql(
            artifacts,
            tmp,
            "abalone-train",
            "SELECT CAST(Sex = 'F' AS DOUBLE) AS Sex_F, CAST(Sex = 'I' AS DOUBLE) AS Sex_I,"
                + " CAST(Sex = 'M' AS DOUBLE) AS Sex_M, Length, Diameter, Height,"
                + " \"Whole.weight\", \"Shucked.weight\", \"Viscera.weight\", \"Shell.weight\","
                + " CAST(Rings AS DOUBLE) AS Rings FROM read_csv_auto('"
                + CSV.toAbsolutePath()
                + "') LIMIT 1000");
    return TestModels.train(artifacts, Task.REGRESSION, "Rings", train, 2);
  }

  /** One abalone measurement as a request instance; {@code i} varies the values. */
  public static ObjectNode instance(int i) {
    ObjectNode o = PlanJson.lenient().createObjectNode();
    o.put("Sex_F", i % 3 == 0 ? 1.0 : 0.0);
    o.put("Sex_I", i % 3 == 1 ? 1.0 : 0.0);
    o.put("Sex_M", i % 3 == 2 ? 1.0 : 0.0);
    o.put("Length", 0.3 + (i % 10) * 0.03);
    o.put("Diameter", 0.25 + (i % 7) * 0.02);
    o.put("Height", 0.1 + (i % 5) * 0.01);
    o.put("Whole.weight", 0.4 + (i % 11) * 0.05);
    o.put("Shucked.weight", 0.2 + (i % 13) * 0.02);
    o.put("Viscera.weight", 0.1 + (i % 4) * 0.01);
    o.put("Shell.weight", 0.15 + (i % 9) * 0.02);
    return o;
  }

  /** {@code {"instances": [instance(i), ...]}} for the given {@code is}. */
  public static JsonNode body(int... is) {
    ObjectNode body = PlanJson.lenient().createObjectNode();
    ArrayNode instances = body.putArray("instances");
    for (int i : is) {
      instances.add(instance(i));
    }
    return body;
  }

  /** The feature row of {@code instance(i)} in model order. */
  public static float[] row(int i) {
    ObjectNode o = instance(i);
    float[] row = new float[FEATURES.size()];
    for (int j = 0; j < row.length; j++) {
      row[j] = o.get(FEATURES.get(j)).floatValue();
    }
    return row;
  }

  /** A metadata store on H2 under {@code dir}. */
  public static MetadataStore metadata(Path dir) {
    return MetadataStore.open(LifecycleSettings.of(dir, null, null, null));
  }

  /** Registers {@code model} as the next version of {@code name} for {@code runId}. */
  public static ModelVersion register(
      MetadataStore metadata, String name, ArtifactRef model, String run) {
    return metadata
        .models()
        .register(
            new NewModelVersion(
                name, model, Map.of("rmse", 2.0), null, "plan", Map.of(), "wf", run, "register"));
  }

  /**
   * Loads models from the artifact store, counting; {@link #faults} maps a version to what its
   * predictor does before each call after the warm-up (throw to inject an error, sleep to inject
   * latency).
   */
  public static final class TestLoader implements ModelLoader {
    final ModelLoader real;
    public final Map<Integer, IntFunction<Void>> faults = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> loads = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> closes = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<Integer> batchRows = new java.util.concurrent.CopyOnWriteArrayList<>();

    public TestLoader(ArtifactStore artifacts) {
      this.real = ModelLoader.fromArtifacts(artifacts);
    }

    TestLoader(Path artifacts) {
      this(new LocalArtifactStore(artifacts));
    }

    public int loads(int version) {
      return loads.computeIfAbsent(version, v -> new AtomicInteger()).get();
    }

    public int closes(int version) {
      return closes.computeIfAbsent(version, v -> new AtomicInteger()).get();
    }

    @Override
    public ModelMetadata metadata(ModelSpec spec) {
      return real.metadata(spec);
    }

    @Override
    public dev.lifecycle.activities.data.FeatureTransform transform(ModelSpec spec) {
      return real.transform(spec);
    }

    @Override
    public Predictor load(ModelSpec spec) {
      Predictor inner = real.load(spec);
      int version = spec.version();
      loads.computeIfAbsent(version, v -> new AtomicInteger()).incrementAndGet();
      AtomicInteger count = calls.computeIfAbsent(version, v -> new AtomicInteger());
      return new Predictor() {
        @Override
        public ModelMetadata metadata() {
          return inner.metadata();
        }

        @Override
        public float[] predict(float[][] rows, int n) {
          int call = count.incrementAndGet();
          IntFunction<Void> fault = faults.get(version);
          // Call 1 of a version is the warm-up at load: faults start after it.
          if (fault != null && call > 1) {
            fault.apply(call);
          }
          if (call > 1) {
            batchRows.add(n);
          }
          return inner.predict(rows, n);
        }

        @Override
        public void close() {
          closes.computeIfAbsent(version, v -> new AtomicInteger()).incrementAndGet();
          inner.close();
        }
      };
    }
  }
}
