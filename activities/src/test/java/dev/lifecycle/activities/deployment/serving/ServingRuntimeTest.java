package dev.lifecycle.activities.deployment.serving;

import static dev.lifecycle.activities.deployment.serving.ServingFixtures.body;
import static dev.lifecycle.activities.deployment.serving.ServingFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.deployment.serving.ServingFixtures.TestLoader;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Serving;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingRuntimeTest {
  /** Float32 outputs of about 10 rings differ by a few ulps between batch sizes. */
  static final double TOL = 1e-4;

  @TempDir static Path shared;
  static LocalArtifactStore artifacts;
  static ArtifactRef model;
  static float[] expected;

  @TempDir Path tmp;
  MetadataStore metadata;
  TestLoader loader;
  final List<ServingRuntime> runtimes = new ArrayList<>();

  @BeforeAll
  static void trainModel() throws Exception {
    artifacts = new LocalArtifactStore(shared.resolve("artifacts"));
    model = ServingFixtures.abaloneModel(artifacts, shared);
    float[][] rows = new float[64][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = row(i);
    }
    try (ModelBundle bundle = ModelBundle.load(artifacts.resolve(model))) {
      expected = bundle.predict(rows);
    }
  }

  @BeforeEach
  void setUp() {
    metadata = ServingFixtures.metadata(tmp);
    loader = new TestLoader(artifacts);
    ServingFixtures.register(metadata, "abalone-age", model, "run-1");
    ServingFixtures.register(metadata, "abalone-age", model, "run-2");
  }

  @AfterEach
  void tearDown() {
    runtimes.forEach(ServingRuntime::close);
    metadata.close();
  }

  private ServingRuntime runtime(ServingRuntime.Options options) {
    ServingRuntime r = new ServingRuntime(metadata, loader, options);
    runtimes.add(r);
    return r;
  }

  private ServingRuntime runtime() {
    return runtime(ServingRuntime.Options.DEFAULT);
  }

  private static ModelSpec v(int version) {
    return new ModelSpec("abalone-age", version, model);
  }

  private static Serving serving(
      Serving.Mode mode,
      Integer batch,
      Duration delay,
      Serving.Rollout rollout,
      Integer canary,
      Duration bake,
      Duration p99,
      Duration idle,
      Double capture) {
    return new Serving(mode, batch, delay, rollout, canary, bake, null, p99, idle, capture);
  }

  private static double predicted(Prediction p, int index) {
    return ((Number) p.predictions().get(index)).doubleValue();
  }

  @Test
  void answersEachInstanceAsTheModelDoes() {
    ServingRuntime serving = runtime();
    serving.deploy("abalone", v(1), Serving.DEFAULT, null, null).join();

    Prediction p = serving.endpoint("abalone").invoke(body(0, 1, 2, 3));

    assertEquals(4, p.predictions().size());
    for (int i = 0; i < 4; i++) {
      assertEquals(expected[i], predicted(p, i), TOL, "instance " + i);
    }
    assertEquals(1, p.modelVersion());
    assertNotNull(p.requestId());
    // An instance may also be an array of numbers in feature order.
    ObjectNode asArray = PlanJson.lenient().createObjectNode();
    var values = asArray.putArray("instances").addArray();
    for (float f : row(5)) {
      values.add(f);
    }
    assertEquals(expected[5], predicted(serving.endpoint("abalone").invoke(asArray), 0), TOL);
  }

  /** The field each malformed body must be rejected for, and whether for its size. */
  private static Map<String, String> badBodies() {
    Map<String, String> cases = new HashMap<>();
    cases.put("[1, 2]", "body");
    cases.put("{}", "instances");
    cases.put("{\"instances\": {\"Length\": 1}}", "instances");
    cases.put("{\"instances\": []}", "instances");
    cases.put("{\"instances\": [\"abc\"]}", "instances[0]");
    cases.put("{\"instances\": [[1, 2, 3]]}", "instances[0]");
    cases.put("{\"inputs\": []}", "inputs");
    ObjectNode missing = ServingFixtures.instance(0);
    missing.remove("Height");
    cases.put(
        "{\"instances\": [" + ServingFixtures.instance(1) + ", " + missing + "]}",
        "instances[1].Height");
    ObjectNode text = ServingFixtures.instance(0);
    text.put("Length", "0.5");
    cases.put("{\"instances\": [" + text + "]}", "instances[0].Length");
    ObjectNode bool = ServingFixtures.instance(0);
    bool.put("Diameter", true);
    cases.put("{\"instances\": [" + bool + "]}", "instances[0].Diameter");
    ObjectNode nul = ServingFixtures.instance(0);
    nul.putNull("Shell.weight");
    cases.put("{\"instances\": [" + nul + "]}", "instances[0].Shell.weight");
    ObjectNode extra = ServingFixtures.instance(0);
    extra.put("Rings", 9);
    cases.put("{\"instances\": [" + extra + "]}", "instances[0].Rings");
    ObjectNode huge = ServingFixtures.instance(0);
    huge.put("Height", new java.math.BigDecimal("1e400"));
    cases.put("{\"instances\": [" + huge + "]}", "instances[0].Height");
    return cases;
  }

  @Test
  void rejectsBadInputNamingTheFieldAndKeepsServing() throws Exception {
    ServingRuntime serving = runtime();
    serving.deploy("abalone", v(1), Serving.DEFAULT, null, null).join();
    Endpoint endpoint = serving.endpoint("abalone");

    for (Map.Entry<String, String> c : badBodies().entrySet()) {
      JsonNode bad = PlanJson.lenient().readTree(c.getKey());
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> endpoint.invoke(bad), c.getKey());
      assertEquals(c.getValue(), e.field(), c.getKey());
      assertTrue(
          e.getMessage().contains(c.getValue()) || c.getValue().equals("body"), e.getMessage());
      assertFalse(e.tooLarge(), c.getKey());
    }
    int[] many = new int[1001];
    InvalidInputException oversize =
        assertThrows(InvalidInputException.class, () -> endpoint.invoke(body(many)));
    assertEquals("instances", oversize.field());
    assertTrue(oversize.tooLarge());

    // Bad requests are not model errors, and the endpoint still answers.
    assertEquals(expected[7], predicted(endpoint.invoke(body(7)), 0), TOL);
    assertEquals(0, endpoint.status().versions().get(0).errors());
  }

  @Test
  void batchedRequestsEachGetTheirOwnRow() throws Exception {
    ServingRuntime serving = runtime();
    // A long delay: the batch closes when its eighth request arrives, not by time.
    Serving batching =
        serving(
            Serving.Mode.REALTIME, 8, Duration.ofSeconds(30), null, null, null, null, null, null);
    serving.deploy("abalone", v(1), batching, null, null).join();
    Endpoint endpoint = serving.endpoint("abalone");
    CountDownLatch start = new CountDownLatch(1);
    Map<Integer, Double> answers = new ConcurrentHashMap<>();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      int i = c;
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                  answers.put(i, predicted(endpoint.invoke(body(i)), 0));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      clients.add(t);
    }
    start.countDown();
    for (Thread t : clients) {
      t.join();
    }

    // How the eight group depends on thread timing (BatcherTest pins it down); what every
    // grouping must keep: all rows predicted once, no batch over the limit, each caller its row.
    assertEquals(8, loader.batchRows.stream().mapToInt(Integer::intValue).sum());
    assertTrue(loader.batchRows.stream().allMatch(n -> n <= 8), loader.batchRows.toString());
    for (int i = 0; i < 8; i++) {
      assertEquals(expected[i], answers.get(i), TOL, "caller " + i + " got its own row");
    }
  }

  /** Client threads calling until stopped; counts answers per version and failures. */
  private static final class Load implements AutoCloseable {
    final AtomicBoolean stop = new AtomicBoolean();
    final Map<Integer, AtomicInteger> answered = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> failedByVersion = new ConcurrentHashMap<>();
    final List<Throwable> otherFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicInteger total = new AtomicInteger();
    final List<Thread> threads = new ArrayList<>();

    Load(Endpoint endpoint, int clients) {
      for (int c = 0; c < clients; c++) {
        int seed = c;
        Thread t =
            new Thread(
                () -> {
                  int i = seed;
                  while (!stop.get()) {
                    int k = i++ % 64;
                    try {
                      Prediction p = endpoint.invoke(body(k));
                      if (Math.abs(predicted(p, 0) - expected[k]) > TOL) {
                        otherFailures.add(new AssertionError("wrong answer for " + k));
                      }
                      answered
                          .computeIfAbsent(p.modelVersion(), v -> new AtomicInteger())
                          .incrementAndGet();
                    } catch (ModelFailureException e) {
                      failedByVersion
                          .computeIfAbsent(e.version(), v -> new AtomicInteger())
                          .incrementAndGet();
                    } catch (Throwable e) {
                      otherFailures.add(e);
                    }
                    total.incrementAndGet();
                  }
                });
        t.start();
        threads.add(t);
      }
    }

    void awaitTotal(int n) throws InterruptedException {
      while (total.get() < n) {
        Thread.sleep(5);
      }
    }

    int answered(int version) {
      AtomicInteger n = answered.get(version);
      return n == null ? 0 : n.get();
    }

    int failed(int version) {
      AtomicInteger n = failedByVersion.get(version);
      return n == null ? 0 : n.get();
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
    }
  }

  @Test
  void hotSwapUnderLoadFailsNoRequest() throws Exception {
    ServingRuntime serving = runtime();
    serving.deploy("abalone", v(1), Serving.DEFAULT, null, null).join();
    Endpoint endpoint = serving.endpoint("abalone");
    RolloutOutcome outcome;
    int afterSwap;
    try (Load load = new Load(endpoint, 8)) {
      load.awaitTotal(300);
      outcome = serving.deploy("abalone", v(2), Serving.DEFAULT, "run-2", "deploy").join();
      afterSwap = load.total.get();
      load.awaitTotal(afterSwap + 300);
      load.close();

      assertTrue(load.otherFailures.isEmpty(), () -> "failed: " + load.otherFailures);
      assertTrue(load.failedByVersion.isEmpty(), () -> "model failures: " + load.failedByVersion);
      assertTrue(load.answered(1) >= 300, "v1 answered " + load.answered(1));
      assertTrue(load.answered(2) >= 300 - 8, "v2 answered " + load.answered(2));
    }
    assertTrue(outcome.promoted());
    assertEquals(2, endpoint.version());
    // v1 is closed once its last request was answered.
    serving.close();
    assertEquals(1, loader.closes(1));
    assertEquals(2, metadata.models().get("abalone-age", 2).orElseThrow().version());
  }

  @Test
  void canaryWithInjectedErrorsIsRolledBackAndNoOtherRequestFails() throws Exception {
    ServingRuntime serving = runtime();
    serving.deploy("abalone", v(1), Serving.DEFAULT, null, null).join();
    Endpoint endpoint = serving.endpoint("abalone");
    loader.faults.put(
        2,
        call -> {
          throw new IllegalStateException("injected failure " + call);
        });
    Serving canary =
        serving(
            Serving.Mode.REALTIME,
            null,
            null,
            Serving.Rollout.CANARY,
            20,
            Duration.ofHours(1),
            null,
            null,
            null);

    RolloutOutcome outcome;
    try (Load load = new Load(endpoint, 4)) {
      outcome = serving.deploy("abalone", v(2), canary, "run-2", "deploy").get(5, TimeUnit.MINUTES);
      int atRollback = load.total.get();
      load.awaitTotal(atRollback + 200);
      load.close();

      assertTrue(load.otherFailures.isEmpty(), () -> "failed: " + load.otherFailures);
      assertEquals(0, load.failed(1), "no request to version 1 failed");
      // Only the canary's requests failed: at least the alarm's minimum, and none that version 1
      // should have answered (every answer came from version 1).
      assertTrue(load.failed(2) >= 20, "canary failures " + load.failed(2));
      assertEquals(0, load.answered(2));
      assertTrue(load.answered(1) > load.failed(2), "the canary took a share only");
    }
    assertFalse(outcome.promoted());
    assertTrue(outcome.reason().startsWith("error-rate alarm"), outcome.reason());
    assertEquals(1, endpoint.version());
    EndpointStatus status = endpoint.status();
    assertEquals("NONE", status.rollout());
    assertEquals(1, status.rollbacks().size());
    assertEquals(2, status.rollbacks().get(0).fromVersion());
    assertEquals(Map.of("1", 100), status.trafficPercent());
    // The endpoint record still names version 1 (never saved with version 2).
    assertTrue(
        serving.endpointStore().endpoint("abalone").isEmpty()
            || serving.endpointStore().endpoint("abalone").orElseThrow().version() == 1);
  }

  @Test
  void healthyCanaryTakesAllTrafficAfterItsBake() throws Exception {
    ServingRuntime serving = runtime();
    serving.deploy("abalone", v(1), Serving.DEFAULT, null, null).join();
    Endpoint endpoint = serving.endpoint("abalone");
    Serving canary =
        serving(
            Serving.Mode.REALTIME,
            null,
            null,
            Serving.Rollout.CANARY,
            50,
            Duration.ofMillis(300),
            null,
            null,
            null);
    RolloutOutcome outcome;
    try (Load load = new Load(endpoint, 2)) {
      outcome = serving.deploy("abalone", v(2), canary, "run-2", "deploy").get(5, TimeUnit.MINUTES);
      load.close();
      assertTrue(load.failedByVersion.isEmpty() && load.otherFailures.isEmpty());
    }
    assertTrue(outcome.promoted(), String.valueOf(outcome.reason()));
    assertEquals(2, endpoint.version());
    assertEquals(2, serving.endpointStore().endpoint("abalone").orElseThrow().version());
  }

  @Test
  void blueGreenLatencyAlarmRollsBackTheSlowVersion() throws Exception {
    ServingRuntime serving = runtime();
    serving.deploy("abalone", v(1), Serving.DEFAULT, null, null).join();
    Endpoint endpoint = serving.endpoint("abalone");
    loader.faults.put(
        2,
        call -> {
          try {
            Thread.sleep(40);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
    Serving blueGreen =
        serving(
            Serving.Mode.REALTIME,
            null,
            null,
            Serving.Rollout.BLUE_GREEN,
            null,
            Duration.ofHours(1),
            Duration.ofMillis(10),
            null,
            null);
    RolloutOutcome outcome;
    try (Load load = new Load(endpoint, 2)) {
      outcome =
          serving.deploy("abalone", v(2), blueGreen, "run-2", "deploy").get(5, TimeUnit.MINUTES);
      load.close();
      assertTrue(load.failedByVersion.isEmpty() && load.otherFailures.isEmpty());
    }
    assertFalse(outcome.promoted());
    assertTrue(outcome.reason().startsWith("latency alarm"), outcome.reason());
    assertEquals(1, endpoint.version());
  }

  @Test
  void serverlessLoadsOnFirstRequestAndUnloadsWhenIdle() throws Exception {
    ServingRuntime serving =
        runtime(ServingRuntime.Options.DEFAULT.withIdleCheck(Duration.ofMillis(20)));
    Serving serverless =
        serving(
            Serving.Mode.SERVERLESS,
            null,
            null,
            null,
            null,
            null,
            null,
            Duration.ofMillis(100),
            null);
    serving.deploy("abalone", v(1), serverless, null, null).join();
    Endpoint endpoint = serving.endpoint("abalone");
    assertFalse(endpoint.status().loaded());
    assertEquals(0, loader.loads(1));
    assertNull(endpoint.status().lastColdStartMillis());

    assertEquals(expected[3], predicted(endpoint.invoke(body(3)), 0), TOL);
    EndpointStatus warm = endpoint.status();
    assertEquals(1, warm.coldStarts());
    assertNotNull(warm.lastColdStartMillis());
    assertEquals(1, loader.loads(1));

    waitFor(() -> !endpoint.status().loaded(), "the model to unload");
    assertEquals(1, loader.closes(1));
    assertEquals(expected[4], predicted(endpoint.invoke(body(4)), 0), TOL);
    assertEquals(2, endpoint.status().coldStarts());
    assertEquals(2, loader.loads(1));
  }

  @Test
  void asynchronousRequestsSurviveARestart() throws Exception {
    Serving async = serving(Serving.Mode.ASYNC, null, null, null, null, null, null, null, null);
    List<String> ids = new ArrayList<>();
    try (ServingRuntime first =
        new ServingRuntime(
            metadata, loader, ServingRuntime.Options.DEFAULT.withAsyncWorker(false))) {
      first.deploy("abalone", v(1), async, "run-1", "deploy").join();
      for (int i = 0; i < 5; i++) {
        ids.add(first.submitAsync("abalone", body(i, i + 10)));
      }
      InvalidInputException bad =
          assertThrows(
              InvalidInputException.class,
              () ->
                  first.submitAsync("abalone", PlanJson.lenient().readTree("{\"instances\":[1]}")));
      assertEquals("instances[0]", bad.field());
      assertEquals("PENDING", first.asyncResult("abalone", ids.get(0)).orElseThrow().status());
      assertEquals(5, first.asyncWaiting("abalone"));
    }

    ServingRuntime second = runtime();
    assertEquals(List.of("abalone"), second.restore());
    for (int n = 0; n < ids.size(); n++) {
      String id = ids.get(n);
      waitFor(() -> "DONE".equals(second.asyncResult("abalone", id).orElseThrow().status()), id);
      AsyncResult result = second.asyncResult("abalone", id).orElseThrow();
      assertEquals(1, result.modelVersion());
      assertEquals(expected[n], result.result().get("predictions").get(0).asDouble(), TOL);
      assertEquals(expected[n + 10], result.result().get("predictions").get(1).asDouble(), TOL);
    }
    assertTrue(second.asyncResult("other", ids.get(0)).isEmpty());
    assertEquals(0, second.asyncWaiting("abalone"));
  }

  @Test
  void capturesTheConfiguredShareAndJoinsGroundTruth() throws Exception {
    ServingRuntime serving = runtime();
    Serving capture =
        serving(Serving.Mode.REALTIME, null, null, null, null, null, null, null, 0.25);
    Instant start = Instant.now().minusSeconds(1);
    serving.deploy("abalone", v(1), capture, null, null).join();
    Endpoint endpoint = serving.endpoint("abalone");
    List<Prediction> answers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      answers.add(endpoint.invoke(body(i)));
    }
    DataCapture dataCapture = serving.dataCapture();
    dataCapture.flush();
    List<String> captured = new ArrayList<>();
    Prediction notCaptured = null;
    for (Prediction p : answers) {
      if (dataCapture.store().instances("abalone", p.requestId()) == 1) {
        captured.add(p.requestId());
      } else if (notCaptured == null) {
        notCaptured = p;
      }
    }
    assertEquals(10, captured.size(), "a quarter of 40 requests");
    Map<String, Double> truth = new HashMap<>();
    for (int k = 0; k < 3; k++) {
      double rings = 7 + k;
      dataCapture.groundTruth(
          "abalone",
          captured.get(k),
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.numberNode(rings));
      truth.put(captured.get(k), rings);
    }
    String missing = notCaptured.requestId();
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                dataCapture.groundTruth(
                    "abalone",
                    missing,
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.numberNode(3)));
    assertEquals("requestId", e.field());
    InvalidInputException count =
        assertThrows(
            InvalidInputException.class,
            () ->
                dataCapture.groundTruth(
                    "abalone", captured.get(5), PlanJson.lenient().readTree("[1, 2]")));
    assertEquals("groundTruth", count.field());

    Path file = tmp.resolve("window.parquet");
    long rows = serving.writeCaptureWindow("abalone", start, Instant.now().plusSeconds(1), file);
    assertEquals(10, rows);
    assertEquals(
        0,
        serving.writeCaptureWindow(
            "abalone", start.minusSeconds(60), start, tmp.resolve("none.parquet")));
    Map<String, Integer> answerIndex = new HashMap<>();
    for (int i = 0; i < answers.size(); i++) {
      answerIndex.put(answers.get(i).requestId(), i);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + file + "')")) {
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        columns.add(rs.getMetaData().getColumnName(i));
      }
      List<String> want = new ArrayList<>(ServingFixtures.FEATURES);
      want.addAll(
          List.of("prediction", "ground_truth", "request_id", "model_version", "captured_at"));
      assertEquals(want, columns);
      int withTruth = 0;
      Set<String> seen = new HashSet<>();
      while (rs.next()) {
        String id = rs.getString("request_id");
        seen.add(id);
        int i = answerIndex.get(id);
        assertEquals(row(i)[3], rs.getDouble("Length"), TOL);
        assertEquals(expected[i], rs.getDouble("prediction"), TOL);
        double gt = rs.getDouble("ground_truth");
        if (rs.wasNull()) {
          assertFalse(truth.containsKey(id));
        } else {
          assertEquals(truth.get(id), gt, 0);
          withTruth++;
        }
      }
      assertEquals(3, withTruth);
      assertEquals(new HashSet<>(captured), seen);
    }
  }

  @Test
  void endpointsAreRecreatedAfterARestart() throws Exception {
    try (ServingRuntime first =
        new ServingRuntime(metadata, loader, ServingRuntime.Options.DEFAULT)) {
      first.deploy("abalone", v(1), Serving.DEFAULT, "run-1", "deploy").join();
      first.deploy("abalone", v(2), Serving.DEFAULT, "run-2", "deploy").join();
      Serving batching =
          serving(
              Serving.Mode.REALTIME, 4, Duration.ofMillis(2), null, null, null, null, null, null);
      first.deploy("abalone-batch", v(1), batching, "run-1", "deploy-batch").join();
    }
    ServingRuntime second = runtime();
    assertEquals(List.of("abalone", "abalone-batch"), second.restore());
    assertEquals(2, second.endpoint("abalone").version());
    assertEquals(4, second.endpoint("abalone-batch").status().maxBatchSize());
    assertEquals(expected[9], predicted(second.endpoint("abalone-batch").invoke(body(9)), 0), TOL);
    assertEquals(List.of(), second.restore(), "a second restore re-creates nothing");
    assertThrows(UnknownEndpointException.class, () -> second.endpoint("nope"));
  }

  @Test
  void aClosedEndpointRefusesRequestsRatherThanWaiting() {
    ServingRuntime serving = runtime();
    serving.deploy("abalone", v(1), Serving.DEFAULT, null, null).join();
    Endpoint endpoint = serving.endpoint("abalone");
    serving.close();

    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            Duration.ofMinutes(2),
            () -> assertThrows(IllegalStateException.class, () -> endpoint.invoke(body(1))));
    assertTrue(e.getMessage().contains("'abalone' is closed"), e.getMessage());
    assertEquals(1, loader.closes(1));
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }
}
