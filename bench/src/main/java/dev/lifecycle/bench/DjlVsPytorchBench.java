package dev.lifecycle.bench;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.activities.training.BatchTrainer;
import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.examples.fashion.FashionMnist;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Training and inference speed of Lifecycle's image CNN in DJL (PyTorch engine, libtorch 2.7.1)
 * against the same network in PyTorch ({@code bench/python/cnn_bench.py}, Debian's torch), with the
 * same data, batch size, optimiser and thread count, side by side in one run.
 *
 * <p>The DJL side runs the product's own code: {@link BatchTrainer#cnn} builds the CNN as the train
 * step does ({@code Networks.cnn}, its resumable Adam, softmax cross-entropy, seeded
 * initialisation) and {@link BatchTrainer#train} is the step {@code TrainingActivitiesImpl} runs
 * per batch; inference saves the trained network and runs {@link ModelBundle#predict}, the path
 * evaluation, batch transform and serving use. Each engine runs {@code --warmup-epochs} untimed
 * epochs and then {@code --epochs} timed ones; training speed is the median epoch's samples per
 * second. Inference runs the model over the same images in batches of {@code --batch} without
 * gradients. Rounds alternate DJL and PyTorch, so load from other processes on a shared machine
 * falls on both.
 *
 * <p>With {@code --profile}, each round instead times every phase of every training step in both
 * engines (DJL: {@link BatchTrainer#PHASES}; PyTorch: gather, zero_grad, forward, loss, backward,
 * item, optimizer) and the CPU time of the training thread, and prints the median over rounds with
 * the load average seen at the start of each round. At one thread the CPU time per step is the
 * steadier measure on a shared machine: waiting for a core does not count.
 *
 * <p>Usage: {@code bench/djl-vs-pytorch.sh [--images 10000] [--batch 64] [--threads 2]
 * [--warmup-epochs 1] [--epochs 2] [--rounds 2] [--profile]}.
 */
public final class DjlVsPytorchBench {
  private static final int CLASSES = 10;
  private static final float LEARNING_RATE = 0.001f;
  private static final ObjectMapper JSON = new ObjectMapper();

  private DjlVsPytorchBench() {}

  /** The measured speeds of one engine in one round. */
  record Speeds(double trainSamplesPerSecond, double inferenceSamplesPerSecond, double lastLoss) {}

  /**
   * One engine's step profile in one round: milliseconds per step by phase (wall clock), CPU
   * milliseconds per step of the training thread, training samples per second, and minor page
   * faults of the whole process per step.
   */
  record Profile(
      Map<String, Double> stepMillis,
      double cpuMillisPerStep,
      double samplesPerSecond,
      double pageFaultsPerStep) {}

  public static void main(String[] args) throws Exception {
    Args a = Args.parse(args);
    // Read by DJL's PyTorch engine when it loads, which happens below, after this.
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(a.threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", String.valueOf(a.threads));
    FashionMnist.Images images =
        FashionMnist.readImages(FashionMnist.images(a.data, FashionMnist.TRAIN));
    byte[] labels = FashionMnist.readLabels(FashionMnist.labels(a.data, FashionMnist.TRAIN));
    int n = Math.min(a.images, images.count());
    int width = images.height() * images.width();
    float[] x = new float[n * width];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      byte[] image = images.image(i);
      for (int p = 0; p < width; p++) {
        x[i * width + p] = (image[p] & 0xFF) / 255f;
      }
      y[i] = labels[i];
    }
    Data data = new Data(x, y, n, images.height(), images.width());
    Engine engine = Engine.getEngine("PyTorch");
    System.out.printf(
        Locale.ROOT,
        "CNN training and batch-%d inference, %d Fashion-MNIST images, %d thread(s), %d warm-up +"
            + " %d timed epochs per engine, %d round(s)%s; DJL %s on libtorch %s,"
            + " MALLOC_TRIM_THRESHOLD_=%s MALLOC_MMAP_THRESHOLD_=%s MALLOC_ARENA_MAX=%s; load"
            + " average %s%n",
        a.batch,
        n,
        a.threads,
        a.warmupEpochs,
        a.epochs,
        a.rounds,
        a.profile ? ", step profile" : "",
        Engine.getDjlVersion(),
        engine.getVersion(),
        System.getenv().getOrDefault("MALLOC_TRIM_THRESHOLD_", "unset"),
        System.getenv().getOrDefault("MALLOC_MMAP_THRESHOLD_", "unset"),
        System.getenv().getOrDefault("MALLOC_ARENA_MAX", "unset"),
        loadAverage());
    if (a.profile) {
      profile(a, data);
    } else {
      compare(a, data);
    }
  }

  /** The training images in memory, row-major, and their labels. */
  record Data(float[] x, float[] y, int n, int height, int width) {
    int size() {
      return height * width;
    }
  }

  private static void compare(Args a, Data data) throws IOException, InterruptedException {
    List<Speeds> djl = new ArrayList<>();
    List<Speeds> torch = new ArrayList<>();
    String torchVersion = "?";
    for (int round = 1; round <= a.rounds; round++) {
      String load = loadAverage();
      Speeds d = djl(a, data);
      djl.add(d);
      JsonNode t = pytorch(a, false);
      torchVersion = t.get("version").asText();
      torch.add(
          new Speeds(
              t.get("train_samples_per_second").asDouble(),
              t.get("inference_samples_per_second").asDouble(),
              t.get("last_train_loss").asDouble()));
      System.out.printf(
          Locale.ROOT,
          "round %d (load average %s): train samples/s DJL %.0f, PyTorch %.0f (ratio %.2f);"
              + " inference samples/s DJL %.0f, PyTorch %.0f (ratio %.2f); last epoch loss DJL"
              + " %.3f, PyTorch %.3f%n",
          round,
          load,
          d.trainSamplesPerSecond(),
          torch.get(round - 1).trainSamplesPerSecond(),
          d.trainSamplesPerSecond() / torch.get(round - 1).trainSamplesPerSecond(),
          d.inferenceSamplesPerSecond(),
          torch.get(round - 1).inferenceSamplesPerSecond(),
          d.inferenceSamplesPerSecond() / torch.get(round - 1).inferenceSamplesPerSecond(),
          d.lastLoss(),
          torch.get(round - 1).lastLoss());
    }
    double djlTrain = median(djl.stream().map(Speeds::trainSamplesPerSecond).toList());
    double torchTrain = median(torch.stream().map(Speeds::trainSamplesPerSecond).toList());
    double djlInfer = median(djl.stream().map(Speeds::inferenceSamplesPerSecond).toList());
    double torchInfer = median(torch.stream().map(Speeds::inferenceSamplesPerSecond).toList());
    System.out.printf(
        Locale.ROOT, "%-34s %14s %14s %8s%n", "", "DJL", "PyTorch " + torchVersion, "ratio");
    System.out.printf(
        Locale.ROOT,
        "%-34s %14.0f %14.0f %8.2f%n",
        "training samples/s (median)",
        djlTrain,
        torchTrain,
        djlTrain / torchTrain);
    System.out.printf(
        Locale.ROOT,
        "%-34s %14.0f %14.0f %8.2f%n",
        "batch-" + a.batch + " inference samples/s (median)",
        djlInfer,
        torchInfer,
        djlInfer / torchInfer);
    double djlBest = djl.stream().mapToDouble(Speeds::trainSamplesPerSecond).max().orElseThrow();
    double torchBest =
        torch.stream().mapToDouble(Speeds::trainSamplesPerSecond).max().orElseThrow();
    double djlInferBest =
        djl.stream().mapToDouble(Speeds::inferenceSamplesPerSecond).max().orElseThrow();
    double torchInferBest =
        torch.stream().mapToDouble(Speeds::inferenceSamplesPerSecond).max().orElseThrow();
    // On a shared machine a round that overlaps someone else's build loses most of its speed (both
    // engines spin OpenMP threads), so the fastest rounds are the steadier comparison.
    System.out.printf(
        Locale.ROOT,
        "%-34s %14.0f %14.0f %8.2f%n",
        "training samples/s (fastest round)",
        djlBest,
        torchBest,
        djlBest / torchBest);
    System.out.printf(
        Locale.ROOT,
        "%-34s %14.0f %14.0f %8.2f%n",
        "batch-" + a.batch + " inference samples/s (fastest)",
        djlInferBest,
        torchInferBest,
        djlInferBest / torchInferBest);
  }

  private static void profile(Args a, Data data) throws IOException, InterruptedException {
    List<Profile> djl = new ArrayList<>();
    List<Profile> torch = new ArrayList<>();
    for (int round = 1; round <= a.rounds; round++) {
      String load = loadAverage();
      Profile d = djlProfile(a, data);
      JsonNode t = pytorch(a, true);
      Map<String, Double> torchSteps = new LinkedHashMap<>();
      t.get("step_ms")
          .fields()
          .forEachRemaining(e -> torchSteps.put(e.getKey(), e.getValue().asDouble()));
      Profile p =
          new Profile(
              torchSteps,
              t.get("cpu_ms_per_step").asDouble(),
              t.get("train_samples_per_second").asDouble(),
              t.get("minor_faults_per_step").asDouble());
      djl.add(d);
      torch.add(p);
      System.out.printf(
          Locale.ROOT,
          "round %d (load average %s): ms/step DJL %.1f (CPU %.1f, %.0f page faults), PyTorch"
              + " %.1f (CPU %.1f, %.0f page faults); DJL %s; PyTorch %s%n",
          round,
          load,
          total(d),
          d.cpuMillisPerStep(),
          d.pageFaultsPerStep(),
          total(p),
          p.cpuMillisPerStep(),
          p.pageFaultsPerStep(),
          format(d.stepMillis()),
          format(p.stepMillis()));
    }
    System.out.printf(
        Locale.ROOT, "median of %d rounds, ms per step of %d images%n", a.rounds, a.batch);
    System.out.printf(Locale.ROOT, "  %-12s %8s   %-12s %8s%n", "DJL phase", "ms", "PyTorch", "ms");
    List<String> djlPhases = BatchTrainer.PHASES;
    List<String> torchPhases = List.copyOf(torch.get(0).stepMillis().keySet());
    for (int i = 0; i < Math.max(djlPhases.size(), torchPhases.size()); i++) {
      String dp = i < djlPhases.size() ? djlPhases.get(i) : "";
      String tp = i < torchPhases.size() ? torchPhases.get(i) : "";
      System.out.printf(
          Locale.ROOT,
          "  %-12s %8s   %-12s %8s%n",
          dp,
          dp.isEmpty() ? "" : String.format(Locale.ROOT, "%.2f", medianOf(djl, dp)),
          tp,
          tp.isEmpty() ? "" : String.format(Locale.ROOT, "%.2f", medianOf(torch, tp)));
    }
    double djlTotal = median(djl.stream().map(DjlVsPytorchBench::total).toList());
    double torchTotal = median(torch.stream().map(DjlVsPytorchBench::total).toList());
    double djlCpu = median(djl.stream().map(Profile::cpuMillisPerStep).toList());
    double torchCpu = median(torch.stream().map(Profile::cpuMillisPerStep).toList());
    double djlRate = median(djl.stream().map(Profile::samplesPerSecond).toList());
    double torchRate = median(torch.stream().map(Profile::samplesPerSecond).toList());
    System.out.printf(
        Locale.ROOT,
        "  %-12s %8.2f   %-12s %8.2f   speed ratio DJL/PyTorch %.2f%n",
        "total",
        djlTotal,
        "total",
        torchTotal,
        torchTotal / djlTotal);
    System.out.printf(
        Locale.ROOT,
        "  %-12s %8.2f   %-12s %8.2f   speed ratio DJL/PyTorch %.2f (training thread's CPU time)%n",
        "CPU",
        djlCpu,
        "CPU",
        torchCpu,
        torchCpu / djlCpu);
    System.out.printf(
        Locale.ROOT,
        "  minor page faults per step, median: DJL %.0f, PyTorch %.0f%n",
        median(djl.stream().map(Profile::pageFaultsPerStep).toList()),
        median(torch.stream().map(Profile::pageFaultsPerStep).toList()));
    System.out.printf(
        Locale.ROOT,
        "  training samples/s, median: DJL %.0f, PyTorch %.0f, ratio %.2f%n",
        djlRate,
        torchRate,
        djlRate / torchRate);
  }

  private static double total(Profile p) {
    return p.stepMillis().values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private static double medianOf(List<Profile> profiles, String phase) {
    return median(profiles.stream().map(p -> p.stepMillis().getOrDefault(phase, 0.0)).toList());
  }

  private static String format(Map<String, Double> phases) {
    StringBuilder out = new StringBuilder();
    phases.forEach(
        (k, v) ->
            out.append(out.length() == 0 ? "" : " ")
                .append(k)
                .append(' ')
                .append(String.format(Locale.ROOT, "%.2f", v)));
    return out.toString();
  }

  /** One DJL round: a fresh network, warm-up and timed epochs, then timed inference. */
  static Speeds djl(Args a, Data data) throws IOException {
    try (BatchTrainer trainer = newTrainer(a, data)) {
      Random random = new Random(a.seed);
      double loss = Double.NaN;
      for (int e = 0; e < a.warmupEpochs; e++) {
        loss = epoch(trainer, data, a.batch, random, null);
      }
      List<Double> rates = new ArrayList<>();
      for (int e = 0; e < a.epochs; e++) {
        long start = System.nanoTime();
        loss = epoch(trainer, data, a.batch, random, null);
        rates.add(data.n() / ((System.nanoTime() - start) / 1e9));
      }
      return new Speeds(median(rates), inference(a, data, trainer), loss);
    }
  }

  /** One DJL profiling round: warm-up epochs, then timed epochs with every phase timed. */
  static Profile djlProfile(Args a, Data data) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (BatchTrainer trainer = newTrainer(a, data)) {
      Random random = new Random(a.seed);
      for (int e = 0; e < a.warmupEpochs; e++) {
        epoch(trainer, data, a.batch, random, null);
      }
      long[] nanos = new long[BatchTrainer.PHASES.size()];
      long faults = minorFaults();
      long cpu = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      for (int e = 0; e < a.epochs; e++) {
        epoch(trainer, data, a.batch, random, nanos);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuNanos = threads.getCurrentThreadCpuTime() - cpu;
      long faulted = minorFaults() - faults;
      int steps = a.epochs * ((data.n() + a.batch - 1) / a.batch);
      Map<String, Double> phases = new LinkedHashMap<>();
      for (int i = 0; i < nanos.length; i++) {
        phases.put(BatchTrainer.PHASES.get(i), nanos[i] / 1e6 / steps);
      }
      return new Profile(
          phases, cpuNanos / 1e6 / steps, a.epochs * data.n() / seconds, faulted / (double) steps);
    }
  }

  private static BatchTrainer newTrainer(Args a, Data data) {
    return BatchTrainer.cnn(
        List.of(1, data.height(), data.width()), CLASSES, a.batch, LEARNING_RATE, a.seed);
  }

  /** One epoch over a seeded shuffle, each batch through the product's training step. */
  private static double epoch(
      BatchTrainer trainer, Data data, int batch, Random random, long[] phaseNanos) {
    int n = data.n();
    int[] order = IntStream.range(0, n).toArray();
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double total = 0;
    for (int from = 0; from < n; from += batch) {
      int to = Math.min(n, from + batch);
      total += trainer.train(data.x(), data.y(), order, from, to, phaseNanos) * (to - from);
    }
    return total / n;
  }

  /**
   * Samples per second of {@link ModelBundle#predict} over every image in batches, on the trained
   * network saved and loaded as the product saves and loads models.
   */
  private static double inference(Args a, Data data, BatchTrainer trainer) throws IOException {
    Path dir = Files.createTempDirectory("djl-vs-pytorch");
    try {
      List<String> classes = IntStream.range(0, CLASSES).mapToObj(String::valueOf).toList();
      trainer.saveModel(dir, classes, a.seed);
      int size = data.size();
      float[][] rows = new float[data.n()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = Arrays.copyOfRange(data.x(), i * size, (i + 1) * size);
      }
      try (ModelBundle model = ModelBundle.load(dir)) {
        predictAll(model, rows, Math.min(data.n(), a.batch * 10), a.batch);
        long start = System.nanoTime();
        predictAll(model, rows, data.n(), a.batch);
        return data.n() / ((System.nanoTime() - start) / 1e9);
      }
    } finally {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void predictAll(ModelBundle model, float[][] rows, int n, int batch) {
    for (int from = 0; from < n; from += batch) {
      int count = Math.min(batch, n - from);
      model.predict(Arrays.copyOfRange(rows, from, from + count), count);
    }
  }

  /**
   * Minor page faults of this process so far ({@code /proc/self/stat}, field 10): memory the kernel
   * had to map in, e.g. after glibc returned it.
   */
  static long minorFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name in parentheses, which may itself contain spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[7]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The 1-, 5- and 15-minute load averages, as {@code /proc/loadavg} gives them. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Runs the PyTorch script once and returns the JSON object it prints last. */
  static JsonNode pytorch(Args a, boolean profile) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                a.python,
                a.script.toString(),
                "--data",
                a.data.toString(),
                "--images",
                String.valueOf(a.images),
                "--batch",
                String.valueOf(a.batch),
                "--threads",
                String.valueOf(a.threads),
                "--warmup-epochs",
                String.valueOf(a.warmupEpochs),
                "--epochs",
                String.valueOf(a.epochs),
                "--seed",
                String.valueOf(a.seed)));
    if (profile) {
      command.add("--profile");
    }
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String last = null;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (!line.isBlank()) {
          last = line;
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || last == null) {
      throw new IllegalStateException(
          "The PyTorch benchmark " + command + " exited with " + exit + " and printed " + last);
    }
    return JSON.readTree(last);
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
  }

  /** Command-line options. */
  record Args(
      Path data,
      int images,
      int batch,
      int threads,
      int warmupEpochs,
      int epochs,
      int rounds,
      long seed,
      String python,
      Path script,
      boolean profile) {

    static Args parse(String[] args) {
      Path data = FashionMnist.DIRECTORY;
      int images = 10_000;
      int batch = 64;
      int threads = 2;
      int warmup = 1;
      int epochs = 2;
      int rounds = 2;
      long seed = 7;
      String python = "/usr/bin/python3";
      Path script = Path.of("bench/python/cnn_bench.py");
      boolean profile = false;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--profile")) {
          profile = true;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("Option " + flag + " needs a value");
        }
        String value = args[++i];
        switch (flag) {
          case "--data" -> data = Path.of(value);
          case "--images" -> images = Integer.parseInt(value);
          case "--batch" -> batch = Integer.parseInt(value);
          case "--threads" -> threads = Integer.parseInt(value);
          case "--warmup-epochs" -> warmup = Integer.parseInt(value);
          case "--epochs" -> epochs = Integer.parseInt(value);
          case "--rounds" -> rounds = Integer.parseInt(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--python" -> python = value;
          case "--script" -> script = Path.of(value);
          default ->
              throw new IllegalArgumentException(
                  "Unknown option "
                      + flag
                      + "; known: --data --images --batch --threads --warmup-epochs --epochs"
                      + " --rounds --seed --python --script --profile");
        }
      }
      if (images < batch || batch < 1 || threads < 1 || epochs < 1 || warmup < 0 || rounds < 1) {
        throw new IllegalArgumentException(
            "Need images >= batch >= 1, threads >= 1, epochs >= 1, warm-up >= 0, rounds >= 1");
      }
      return new Args(
          data, images, batch, threads, warmup, epochs, rounds, seed, python, script, profile);
    }
  }
}
