package dev.lifecycle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.Values;
import dev.lifecycle.dsl.plan.PlanJson;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Answers per second through the labeling REST API of a running worker ({@code bench/
 * labeling-api.sh} starts one). A pipeline run with a label step over {@code --items} text rows
 * waits for {@code --threads} annotators; each answers its share of the items over HTTP (one
 * connection each, keep-alive), first by posting answers to known items, then, on a sample, the way
 * the page works: {@code next}, then {@code answer}. Prints rates, latencies, the ratio to the
 * target of 500 answers/s, and how long the run took to finish after the last answer.
 */
public final class LabelingApiBench {
  static final double TARGET = 500.0;
  private static final List<String> CLASSES = List.of("pos", "neg", "mixed");

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final String admin;

  private final String workerPid;

  private LabelingApiBench(String base, String admin, String workerPid) {
    this.base = base;
    this.admin = admin;
    this.workerPid = workerPid;
  }

  /** CPU seconds used so far by the worker process (from /proc), or NaN without its pid. */
  private double workerCpu() {
    if (workerPid == null) {
      return Double.NaN;
    }
    try {
      String stat = Files.readString(Path.of("/proc", workerPid, "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second).
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double ownCpu() {
    return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  public static void main(String[] args) throws Exception {
    String url = arg(args, "--url", "http://localhost:8080");
    String temporal = arg(args, "--temporal", "localhost:7233");
    String admin = arg(args, "--admin-token", System.getenv("LIFECYCLE_ADMIN_TOKEN"));
    int items = Integer.parseInt(arg(args, "--items", "20000"));
    int threads = Integer.parseInt(arg(args, "--threads", "8"));
    int loopItems = Integer.parseInt(arg(args, "--loop-items", "500"));
    String workerPid = arg(args, "--worker-pid", null);
    if (admin == null || admin.isBlank()) {
      throw new IllegalArgumentException("Give --admin-token or set LIFECYCLE_ADMIN_TOKEN");
    }
    new LabelingApiBench(url, admin, workerPid).run(temporal, items, threads, loopItems);
  }

  private void run(String temporal, int items, int threads, int loopItems) throws Exception {
    String suffix = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    List<String> names = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String name = "bench-" + suffix + "-" + t;
      JsonNode created =
          send("POST", "/api/labeling/admin/annotators", admin, "{\"name\":\"" + name + "\"}", 201);
      names.add(name);
      tokens.add(created.get("token").asText());
    }
    Path data = Files.createTempDirectory("labeling-bench");
    Path rows = data.resolve("texts.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT i AS id, 'review ' || i AS text FROM range("
              + items
              + ") t(i)) TO '"
              + rows
              + "' (FORMAT parquet)");
    }
    Pipeline p = Pipeline.named("labeling-bench");
    var raw = p.ingest("ingest").parquet(Values.of(rows.toString())).dataset();
    p.label("label", raw)
        .classes(CLASSES.toArray(String[]::new))
        .annotators(names.toArray(String[]::new));
    ObjectNode input = PlanJson.lenient().createObjectNode();
    input.set("plan", PlanJson.lenient().valueToTree(p.compile()));

    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(temporal).build());
    WorkflowClient client =
        WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().build());
    String workflowId = "labeling-bench-" + suffix;
    WorkflowStub run =
        client.newUntypedWorkflowStub(
            "PipelineWorkflow",
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue("lifecycle")
                .build());
    run.start(input);

    long job = awaitJob(tokens.get(0), Duration.ofMinutes(5));
    System.out.printf(
        Locale.ROOT, "Job %d open: %,d items, %d annotators over HTTP%n", job, items, threads);

    // Phase 1: answers to known items, items [loopItems, items) split among the annotators.
    double workerBefore = workerCpu();
    double clientBefore = ownCpu();
    Phase answers =
        phase(
            threads,
            t -> {
              List<Long> latencies = new ArrayList<>();
              for (long key = loopItems + t; key < items; key += threads) {
                long start = System.nanoTime();
                answer(tokens.get(t), job, key);
                latencies.add(System.nanoTime() - start);
              }
              return latencies;
            });
    answers.print("answer (POST .../answer)");
    double workerMs = (workerCpu() - workerBefore) * 1000 / answers.latencies().length;
    double clientMs = (ownCpu() - clientBefore) * 1000 / answers.latencies().length;
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        Locale.ROOT,
        "CPU per answer: worker %.2f ms, client %.2f ms -> %d cores doing nothing else would serve"
            + " about %.0f answers/s (worker alone: %.0f/s)%n",
        workerMs,
        clientMs,
        cores,
        cores * 1000 / (workerMs + clientMs),
        cores * 1000 / workerMs);
    System.out.printf(
        Locale.ROOT,
        "Answers per second through the REST API: %.0f (target %.0f) -> ratio %.2f%n",
        answers.rate(),
        TARGET,
        answers.rate() / TARGET);
    // Phase 2: the page's loop, next then answer, over the first loopItems items.
    Phase loop =
        phase(
            threads,
            t -> {
              List<Long> latencies = new ArrayList<>();
              while (true) {
                long start = System.nanoTime();
                JsonNode item =
                    send("GET", "/api/labeling/jobs/" + job + "/next", tokens.get(t), null, 200)
                        .get("item");
                if (item == null || item.isNull()) {
                  return latencies;
                }
                answer(tokens.get(t), job, item.get("key").asLong());
                latencies.add(System.nanoTime() - start);
              }
            });
    long lastAnswer = System.nanoTime();
    JsonNode result = run.getResult(10, TimeUnit.MINUTES, JsonNode.class);
    double finish = (System.nanoTime() - lastAnswer) / 1e9;

    loop.print("next + answer (the page's loop)");
    JsonNode label = null;
    for (JsonNode step : result.get("steps")) {
      if (step.get("name").asText().equals("label")) {
        label = step;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "Run %s: %s %.1f s after the last answer; label step: %s%n",
        workflowId,
        result.get("state").asText(),
        finish,
        label == null ? "?" : label.path("summary").asText(label.path("metrics").toString()));
    stubs.shutdown();
  }

  @FunctionalInterface
  private interface Work {
    List<Long> run(int thread) throws Exception;
  }

  /** Latencies (ns) of one phase over all threads, and its wall time. */
  private record Phase(long[] latencies, double seconds) {
    double rate() {
      return latencies.length / seconds;
    }

    void print(String what) {
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      System.out.printf(
          Locale.ROOT,
          "%-32s %,7d answers in %6.2f s = %7.0f/s; latency p50 %.1f ms, p99 %.1f ms%n",
          what,
          sorted.length,
          seconds,
          rate(),
          sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6,
          sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.99)] / 1e6);
    }
  }

  private static Phase phase(int threads, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> work.run(thread)));
      }
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> f : futures) {
        all.addAll(f.get());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Phase(all.stream().mapToLong(Long::longValue).toArray(), seconds);
    } finally {
      pool.shutdownNow();
    }
  }

  private void answer(String token, long job, long key) throws IOException, InterruptedException {
    send(
        "POST",
        "/api/labeling/jobs/" + job + "/items/" + key + "/answer",
        token,
        "{\"answer\":\"" + CLASSES.get((int) (key % CLASSES.size())) + "\"}",
        201);
  }

  private long awaitJob(String token, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode jobs = send("GET", "/api/labeling/jobs", token, null, 200);
      if (jobs.size() > 0) {
        return jobs.get(0).get("id").asLong();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("The labeling job did not open in " + timeout);
  }

  private JsonNode send(String method, String path, String token, String body, int expected)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return PlanJson.lenient().readTree(response.body());
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
