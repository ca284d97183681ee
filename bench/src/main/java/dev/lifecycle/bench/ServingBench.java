package dev.lifecycle.bench;

import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.deployment.DeploymentActivitiesImpl;
import dev.lifecycle.activities.deployment.serving.Endpoint;
import dev.lifecycle.activities.deployment.serving.ModelSpec;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.NewModelVersion;
import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.activities.training.TrainingActivitiesImpl;
import dev.lifecycle.dsl.plan.BatchTransform;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Serving;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.worker.temporal.EmbeddedTemporal;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.DeploymentActivities;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serving speed: real-time throughput and p50/p99 latency of the worker's HTTP endpoint at 1, 16
 * and 64 concurrent clients, with and without dynamic batching, against calling the same model
 * in-process (the limit), plus batch-transform rows per second; prints the ratios.
 *
 * <p>The worker is the real Micronaut application (REST on a random port, an embedded Temporal test
 * server beside it) with a temporary {@code LIFECYCLE_HOME}; the model is the abalone regressor's
 * shape (MLP 10-64-32-1) trained for a few epochs on the example's data. Each client sends one
 * instance per request over its own keep-alive HTTP/1.1 connection, back to back.
 *
 * <p>Arguments (all optional): {@code --seconds S} per measurement (default 5), {@code --clients
 * 1,16,64}, {@code --batch 32} (the batched endpoint's maxBatchSize), {@code --delay-ms 2} (its
 * maxBatchDelay), {@code --rows 1000000} (batch transform), {@code --hidden 64,32} (the MLP's
 * hidden layers: wider layers make each model call cost more, which is where batching pays).
 */
public final class ServingBench {
  private static final Path CSV = Path.of("examples/src/main/resources/datasets/abalone.csv");
  private static final String FEATURES =
      "CAST(Sex = 'F' AS DOUBLE) AS Sex_F, CAST(Sex = 'I' AS DOUBLE) AS Sex_I,"
          + " CAST(Sex = 'M' AS DOUBLE) AS Sex_M, Length, Diameter, Height, \"Whole.weight\","
          + " \"Shucked.weight\", \"Viscera.weight\", \"Shell.weight\"";
  private static final List<String> NAMES =
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

  private ServingBench() {}

  /** One measurement: requests answered, failures, and latencies in nanoseconds. */
  private record Result(
      String what, int clients, long requests, long failures, long[] nanos, double seconds) {
    double throughput() {
      return requests / seconds;
    }

    double percentileMillis(double q) {
      if (nanos.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(q * nanos.length);
      return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1e6;
    }
  }

  @FunctionalInterface
  private interface Call {
    boolean call(int client, int i) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    double seconds = Double.parseDouble(arg(args, "--seconds", "5"));
    int[] clients =
        Arrays.stream(arg(args, "--clients", "1,16,64").split(","))
            .mapToInt(s -> Integer.parseInt(s.strip()))
            .toArray();
    int batch = Integer.parseInt(arg(args, "--batch", "32"));
    int delayMs = Integer.parseInt(arg(args, "--delay-ms", "2"));
    long rows = Long.parseLong(arg(args, "--rows", "1000000"));
    List<Integer> hidden =
        Arrays.stream(arg(args, "--hidden", "64,32").split(","))
            .map(h -> Integer.parseInt(h.strip()))
            .toList();
    System.out.printf(
        Locale.ROOT,
        "serving bench: %d cores, MLP 10-%s-1, %.0f s per cell, clients %s, batch %d / %d ms,"
            + " %,d rows%n",
        Runtime.getRuntime().availableProcessors(),
        hidden.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("-")),
        seconds,
        Arrays.toString(clients),
        batch,
        delayMs,
        rows);

    Path home = Files.createTempDirectory("lifecycle-serving-bench");
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(EmbeddedTemporal.freePort());
        ApplicationContext context =
            ApplicationContext.builder()
                .properties(
                    Map.of(
                        "lifecycle.temporal.address", temporal.address(),
                        "lifecycle.home", home.toString(),
                        "micronaut.server.port", "-1"))
                .start()) {
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      LifecycleActivities activities = context.getBean(LifecycleActivities.class);
      ArtifactStore artifacts = activities.artifacts();
      ArtifactRef model = train(artifacts, home, hidden);
      int version =
          activities
              .metadata()
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
                      "bench",
                      "register"))
              .version();
      ModelSpec spec = new ModelSpec("abalone-age", version, model);
      Serving plain = Serving.DEFAULT;
      Serving batched =
          new Serving(
              Serving.Mode.REALTIME,
              batch,
              Duration.ofMillis(delayMs),
              null,
              null,
              null,
              null,
              null,
              null,
              null);
      activities.serving().deploy("plain", spec, plain, "bench", "plain").join();
      activities.serving().deploy("batched", spec, batched, "bench", "batched").join();

      float[][] instances = instances(256);
      String[] bodies = new String[instances.length];
      for (int i = 0; i < instances.length; i++) {
        bodies[i] = body(instances[i]);
      }
      String base = "http://localhost:" + server.getPort() + "/endpoints/";
      List<Result> results = new ArrayList<>();
      try (ModelBundle bundle = ModelBundle.load(artifacts.resolve(model))) {
        Endpoint plainEndpoint = activities.serving().endpoint("plain");
        Endpoint batchedEndpoint = activities.serving().endpoint("batched");
        // Warm up every path (JIT, connection set-up, DJL's first calls).
        measure(
            "warm-up", 8, 2, (c, i) -> bundle.predict(new float[][] {instances[i % 256]}) != null);
        for (int n : clients) {
          HttpClient[] http = new HttpClient[n];
          for (int c = 0; c < n; c++) {
            http[c] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
          }
          Call limit = (c, i) -> bundle.predict(new float[][] {instances[i % 256]}).length == 1;
          Call inProcess =
              (c, i) -> plainEndpoint.invoke(PlanJson.lenient().readTree(bodies[i % 256])) != null;
          Call httpPlain = (c, i) -> post(http[c], base + "plain/invocations", bodies[i % 256]);
          Call httpBatched = (c, i) -> post(http[c], base + "batched/invocations", bodies[i % 256]);
          measure("warm-up", n, 1, httpPlain);
          measure("warm-up", n, 1, httpBatched);
          results.add(measure("predictor in-process (limit)", n, seconds, limit));
          results.add(measure("endpoint in-process, no batching", n, seconds, inProcess));
          results.add(measure("HTTP, no batching", n, seconds, httpPlain));
          results.add(
              measure("HTTP, batching " + batch + "/" + delayMs + "ms", n, seconds, httpBatched));
          if (batchedEndpoint.status().versions().get(0).errors() > 0) {
            throw new IllegalStateException("the batched endpoint failed requests");
          }
        }
      }
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "%-36s %7s %10s %9s %9s %8s %9s%n",
          "path",
          "clients",
          "req/s",
          "p50 ms",
          "p99 ms",
          "failed",
          "vs limit");
      for (Result r : results) {
        double limit =
            results.stream()
                .filter(x -> x.clients() == r.clients() && x.what().startsWith("predictor"))
                .findFirst()
                .orElseThrow()
                .throughput();
        System.out.printf(
            Locale.ROOT,
            "%-36s %7d %10.0f %9.3f %9.3f %8d %9.2f%n",
            r.what(),
            r.clients(),
            r.throughput(),
            r.percentileMillis(0.5),
            r.percentileMillis(0.99),
            r.failures(),
            r.throughput() / limit);
      }
      for (int n : clients) {
        double plainRate = find(results, "HTTP, no batching", n).throughput();
        double batchRate = find(results, "HTTP, batching", n).throughput();
        System.out.printf(
            Locale.ROOT,
            "batching / no batching over HTTP at %d clients: %.2f%n",
            n,
            batchRate / plainRate);
      }
      batchTransform(artifacts, model, home, rows);
    } finally {
      deleteQuietly(home);
    }
  }

  private static Result find(List<Result> results, String prefix, int clients) {
    return results.stream()
        .filter(r -> r.clients() == clients && r.what().startsWith(prefix))
        .findFirst()
        .orElseThrow();
  }

  private static boolean post(HttpClient client, String uri, String body) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200;
  }

  /** {@code clients} threads calling back to back for {@code seconds}. */
  private static Result measure(String what, int clients, double seconds, Call call)
      throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong failures = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      int client = c;
      long[] mine = new long[Math.max(100_000, 8_000_000 / clients)];
      int[] count = {0};
      latencies.add(mine);
      counts.add(count);
      Thread t =
          new Thread(
              () -> {
                int i = client * 31;
                while (System.nanoTime() < end && count[0] < mine.length) {
                  long t0 = System.nanoTime();
                  boolean ok;
                  try {
                    ok = call.call(client, i++);
                  } catch (Exception e) {
                    ok = false;
                  }
                  if (!ok) {
                    failures.incrementAndGet();
                  }
                  mine[count[0]++] = System.nanoTime() - t0;
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    int total = counts.stream().mapToInt(c -> c[0]).sum();
    long[] all = new long[total];
    int k = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(latencies.get(c), 0, all, k, counts.get(c)[0]);
      k += counts.get(c)[0];
    }
    Arrays.sort(all);
    return new Result(what, clients, total, failures.get(), all, elapsed);
  }

  /** Batch transform of {@code rows} abalone rows (the data repeated), rows per second. */
  private static void batchTransform(
      ArtifactStore artifacts, ArtifactRef model, Path home, long rows) throws Exception {
    Path file = home.resolve("batch.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE a AS SELECT "
              + FEATURES
              + " FROM read_csv_auto('"
              + CSV.toAbsolutePath()
              + "')");
      st.execute(
          "COPY (SELECT a.* FROM a, range(CAST(CEIL("
              + rows
              + " / 4177.0) AS BIGINT)) LIMIT "
              + rows
              + ") TO '"
              + file
              + "' (FORMAT parquet)");
    }
    ArtifactRef data = artifacts.put(file, ValueType.DATASET, "parquet");
    TestActivityEnvironment env = environment();
    try {
      env.registerActivitiesImplementations(new DeploymentActivitiesImpl(artifacts));
      DeploymentActivities stub = env.newActivityStub(DeploymentActivities.class, options());
      StepTask task =
          new StepTask(
              new RunInfo("wf", "bench", "bench", "plan", Map.of()),
              new BatchTransform(
                  "predict", new OutputRef("train", "model"), new OutputRef("f", "d"), null, null),
              Map.of("model", model, "dataset", data),
              Map.of());
      long t0 = System.nanoTime();
      StepResult result = stub.batchTransform(task);
      double s = (System.nanoTime() - t0) / 1e9;
      // The in-process limit: the same rows through ModelBundle.predict in batches of 4096.
      float[][] block = instances(4096);
      double limitRate;
      try (ModelBundle bundle = ModelBundle.load(artifacts.resolve(model))) {
        bundle.predict(block);
        long l0 = System.nanoTime();
        long done = 0;
        while (done < rows) {
          bundle.predict(block);
          done += block.length;
        }
        limitRate = done / ((System.nanoTime() - l0) / 1e9);
      }
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "batch transform: %s in %.1f s = %,.0f rows/s; predictor alone %,.0f rows/s (ratio %.2f)%n",
          result.summary(),
          s,
          rows / s,
          limitRate,
          rows / s / limitRate);
    } finally {
      env.close();
    }
  }

  /** The first {@code n} abalone rows' features (cycled). */
  private static float[][] instances(int n) throws Exception {
    List<float[]> all = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT " + FEATURES + " FROM read_csv_auto('" + CSV.toAbsolutePath() + "')")) {
      while (rs.next()) {
        float[] row = new float[NAMES.size()];
        for (int j = 0; j < row.length; j++) {
          row[j] = (float) rs.getDouble(j + 1);
        }
        all.add(row);
      }
    }
    float[][] rows = new float[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = all.get(i % all.size());
    }
    return rows;
  }

  private static String body(float[] row) {
    StringBuilder json = new StringBuilder("{\"instances\": [{");
    for (int j = 0; j < row.length; j++) {
      if (j > 0) {
        json.append(", ");
      }
      json.append('"').append(NAMES.get(j)).append("\": ").append(row[j]);
    }
    return json.append("}]}").toString();
  }

  private static ArtifactRef train(ArtifactStore artifacts, Path home, List<Integer> hidden)
      throws Exception {
    Path file = home.resolve("train.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT "
              + FEATURES
              + ", CAST(Rings AS DOUBLE) AS Rings FROM read_csv_auto('"
              + CSV.toAbsolutePath()
              + "')) TO '"
              + file
              + "' (FORMAT parquet)");
    }
    ArtifactRef data = artifacts.put(file, ValueType.DATASET, "parquet");
    Train step =
        new Train(
            "train",
            new OutputRef("features", "train"),
            null,
            "Rings",
            Task.REGRESSION,
            hidden,
            new Literal(3),
            new Literal(32),
            new Literal(0.003),
            7L,
            null,
            null);
    TestActivityEnvironment env = environment();
    try {
      env.registerActivitiesImplementations(new TrainingActivitiesImpl(artifacts));
      return env.newActivityStub(TrainingActivities.class, options())
          .train(
              new StepTask(
                  new RunInfo("wf", "bench-train", "abalone", "plan", Map.of()),
                  step,
                  Map.of("train", data),
                  Map.of("epochs", 3, "batchSize", 32, "learningRate", 0.003)))
          .artifacts()
          .get("model");
    } finally {
      env.close();
    }
  }

  private static TestActivityEnvironment environment() {
    return TestActivityEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder()
            .setWorkflowClientOptions(
                WorkflowClientOptions.newBuilder()
                    .setDataConverter(LifecycleDataConverter.create())
                    .build())
            .build());
  }

  private static ActivityOptions options() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofHours(1))
        .setHeartbeatTimeout(Duration.ofMinutes(5))
        .build();
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  private static void deleteQuietly(Path path) {
    try (var walk = Files.walk(path)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (java.io.IOException e) {
                  // A leftover temporary file is harmless.
                }
              });
    } catch (java.io.IOException e) {
      // Same.
    }
  }
}
