package dev.lifecycle.bench;

import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.activities.labeling.LabelingActivitiesImpl;
import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.Job;
import dev.lifecycle.activities.labeling.LabelingRecords.JobSpec;
import dev.lifecycle.activities.labeling.LabelingRecords.NextItem;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.labeling.LabelingStore;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy.Completion;
import dev.lifecycle.dsl.plan.LabelPolicy.Consolidation;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import dev.lifecycle.dsl.plan.LabelSchema;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.LabelingActivities;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.labeling.LabelingJob;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
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
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The labeling store without HTTP, on H2 in a fresh directory (or {@code --jdbc} PostgreSQL). Two
 * modes:
 *
 * <ul>
 *   <li>{@code loop}: a job of {@code --items} items for people; all but {@code --loop-items} get
 *       their answers first, then {@code --threads} labelers run the page's loop over the rest
 *       exactly as the REST API calls the store ({@code next}, {@code progressOf}, {@code submit},
 *       {@code justCompleted}). Prints items/s and latencies, and checks that no item got more
 *       answers than it wants and none is left without them.
 *   <li>{@code prepare}: prepares a label step over a Parquet file of {@code --items} small text
 *       rows through the labeling activity, and prints the time taken and the peak heap in use
 *       (sampled every 20 ms; run it with a small {@code -Xmx} to see that it stays bounded).
 * </ul>
 */
public final class LabelingStoreBench {
  private static final List<String> CLASSES = List.of("positive", "negative", "neutral");

  private LabelingStoreBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "loop";
    int items = Integer.parseInt(arg(args, "--items", mode.equals("prepare") ? "200000" : "10000"));
    Path home = Files.createTempDirectory("labeling-store-bench");
    LifecycleSettings settings =
        LifecycleSettings.of(
            home,
            arg(args, "--jdbc", null),
            arg(args, "--jdbc-user", null),
            arg(args, "--jdbc-password", null));
    System.out.printf(
        Locale.ROOT,
        "%s on %s; load %s on %d cores%n",
        mode,
        settings.jdbcUrl().startsWith("jdbc:h2") ? "H2" : "PostgreSQL",
        load(),
        Runtime.getRuntime().availableProcessors());
    try (MetadataStore metadata = MetadataStore.open(settings)) {
      if (mode.equals("prepare")) {
        prepare(metadata, new LocalArtifactStore(settings.artifacts()), home, items);
      } else {
        loop(
            LabelingStore.of(metadata),
            items,
            Integer.parseInt(arg(args, "--loop-items", "500")),
            Integer.parseInt(arg(args, "--threads", "8")),
            Integer.parseInt(arg(args, "--per-item", "1")));
      }
    }
    System.out.printf(Locale.ROOT, "load after: %s%n", load());
    // The test activity environment leaves a non-daemon timer thread behind.
    System.exit(0);
  }

  private static void loop(LabelingStore store, int items, int loopItems, int threads, int perItem)
      throws Exception {
    List<String> names = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      names.add("bench" + t);
    }
    store.ensureAnnotators(names);
    String run = "bench-" + System.nanoTime();
    Job job =
        store.createJob(
            new JobSpec(
                run,
                "label",
                run + "/label/label",
                "file:///bench",
                "00",
                CLASSES,
                false,
                null,
                perItem));
    List<Item> batch = new ArrayList<>();
    for (int key = 0; key < items; key++) {
      batch.add(new Item(key, Route.PEOPLE, 2L * key, null, null, null, null));
      if (batch.size() == 10_000 || key == items - 1) {
        store.addItems(job.id(), batch);
        batch.clear();
      }
    }
    store.assign(job.id(), names);
    store.open(job.id());
    long[] ids = names.stream().mapToLong(n -> store.annotator(n).orElseThrow().id()).toArray();

    // Everything but the last loopItems items gets its answers, as in the REST bench's phase 1.
    long start = System.nanoTime();
    Phase answers =
        phase(
            threads,
            t -> {
              List<Long> latencies = new ArrayList<>();
              for (long key = t; key < items - loopItems; key += threads) {
                for (int a = 0; a < perItem; a++) {
                  long s = System.nanoTime();
                  store.submit(job.id(), key, ids[(t + a) % threads], answer(key));
                  store.justCompleted(job, key);
                  latencies.add(System.nanoTime() - s);
                }
              }
              return latencies;
            });
    answers.print("submit + justCompleted");

    Phase loop =
        phase(
            threads,
            t -> {
              List<Long> latencies = new ArrayList<>();
              while (true) {
                long s = System.nanoTime();
                Optional<NextItem> next = store.next(job.id(), ids[t], Duration.ofMinutes(10));
                store.progressOf(job.id(), ids[t]);
                if (next.isEmpty()) {
                  return latencies;
                }
                long key = next.get().item().key();
                store.submit(job.id(), key, ids[t], answer(key));
                store.justCompleted(job, key);
                latencies.add(System.nanoTime() - s);
              }
            });
    loop.print("next + progress + submit (page)");
    Map<Long, Integer> perKey = new java.util.HashMap<>();
    store.answers(job.id()).forEach((key, list) -> perKey.put(key, list.size()));
    long over = perKey.values().stream().filter(n -> n > perItem).count();
    long extra = perKey.values().stream().mapToLong(n -> Math.max(0, n - perItem)).sum();
    long missing = items - perKey.values().stream().filter(n -> n >= perItem).count();
    System.out.printf(
        Locale.ROOT,
        "page loop over %,d items (%d answers each, %d labelers): %,d answers; %,d items answered"
            + " more often than wanted (%,d extra answers); %,d items short of answers; %.1f s"
            + " in all%n",
        loopItems,
        perItem,
        threads,
        loop.latencies().length,
        over,
        extra,
        missing,
        (System.nanoTime() - start) / 1e9);
  }

  private static void prepare(MetadataStore metadata, ArtifactStore artifacts, Path home, int rows)
      throws Exception {
    Path file = home.resolve("texts.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT i AS id, 'review number ' || i AS text, CASE WHEN i % 1000 = 7 THEN"
              + " 'neutral' END AS known FROM range("
              + rows
              + ") t(i)) TO '"
              + file
              + "' (FORMAT parquet)");
    }
    ArtifactRef dataset = artifacts.put(file, ValueType.DATASET, "parquet");
    Label step =
        new Label(
            "label",
            new OutputRef("ingest", "dataset"),
            new LabelSchema(CLASSES, false),
            "Pick one",
            1,
            Consolidation.MAJORITY,
            "known",
            null,
            null,
            null,
            null,
            null,
            null,
            Escalation.NOTIFY,
            Completion.ALL,
            null,
            List.of("ana"),
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    StepTask task =
        new StepTask(
            new RunInfo("bench-wf", "bench-run", "bench", "hash", Map.of()),
            step,
            Map.of("dataset", dataset),
            Map.of());
    TestActivityEnvironment env =
        TestActivityEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LifecycleDataConverter.create())
                        .build())
                .build());
    try {
      LabelingActivitiesImpl impl = new LabelingActivitiesImpl(artifacts, metadata);
      env.registerActivitiesImplementations(impl);
      LabelingActivities activities =
          env.newActivityStub(
              LabelingActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofHours(1))
                  .setHeartbeatTimeout(Duration.ofMinutes(2))
                  .build());
      System.gc();
      long baseline = heapUsed();
      HeapSampler sampler = new HeapSampler();
      sampler.start();
      long start = System.nanoTime();
      LabelingJob job = activities.prepare(task);
      double seconds = (System.nanoTime() - start) / 1e9;
      sampler.interrupt();
      sampler.join();
      try (Connection c = metadata.dataSource().getConnection();
          Statement st = c.createStatement();
          ResultSet r =
              st.executeQuery("SELECT COUNT(*) FROM labeling_item WHERE job_id = " + job.jobId())) {
        r.next();
        System.out.printf(
            Locale.ROOT,
            "prepared %,d rows in %.1f s (%.0f rows/s): %,d items stored, %,d for people, %,d"
                + " gold; heap in use before %.0f MB, peak %.0f MB (-Xmx %.0f MB)%n",
            rows,
            seconds,
            rows / seconds,
            r.getLong(1),
            job.forPeople(),
            job.gold(),
            baseline / 1e6,
            sampler.peak / 1e6,
            Runtime.getRuntime().maxMemory() / 1e6);
      }
    } finally {
      env.close();
    }
  }

  /** Samples the heap in use every 20 ms, keeping the highest value. */
  private static final class HeapSampler extends Thread {
    volatile long peak;

    HeapSampler() {
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!isInterrupted()) {
        peak = Math.max(peak, heapUsed());
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private static long heapUsed() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        used += pool.getUsage().getUsed();
      }
    }
    return used;
  }

  private static String answer(long key) {
    return CLASSES.get((int) (key % CLASSES.size()));
  }

  @FunctionalInterface
  private interface Work {
    List<Long> run(int thread) throws Exception;
  }

  /** Latencies (ns) of one phase over all threads, and its wall time. */
  private record Phase(long[] latencies, double seconds) {
    void print(String what) {
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      System.out.printf(
          Locale.ROOT,
          "%-32s %,7d items in %6.2f s = %7.1f/s; latency p50 %.1f ms, p99 %.1f ms%n",
          what,
          sorted.length,
          seconds,
          sorted.length / seconds,
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

  private static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
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
