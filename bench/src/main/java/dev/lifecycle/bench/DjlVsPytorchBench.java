package dev.lifecycle.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.examples.fashion.FashionMnist;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training and inference speed of Lifecycle's image CNN in DJL (PyTorch engine, libtorch 2.7.1)
 * against the same network in PyTorch ({@code bench/python/cnn_bench.py}, Debian's torch), with the
 * same data, batch size, optimiser and thread count, side by side in one run.
 *
 * <p>The DJL network is built exactly as {@code Networks.cnn} in {@code activities} builds it, and
 * the loop does what {@code TrainingActivitiesImpl} does per batch: gather the shuffled rows into a
 * float array, create NDArrays in a sub-manager, forward, loss, backward, optimiser step. Each
 * engine runs {@code --warmup-epochs} untimed epochs and then {@code --epochs} timed ones; training
 * speed is the median epoch's samples per second. Inference runs the model over the same images in
 * batches of {@code --batch} without gradients. Rounds alternate DJL and PyTorch, so load from
 * other processes on a shared machine falls on both.
 *
 * <p>Usage: {@code bench/djl-vs-pytorch.sh [--images 10000] [--batch 64] [--threads 2]
 * [--warmup-epochs 1] [--epochs 2] [--rounds 2]}.
 */
public final class DjlVsPytorchBench {
  private static final int CLASSES = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  private DjlVsPytorchBench() {}

  /** The measured speeds of one engine in one round. */
  record Speeds(double trainSamplesPerSecond, double inferenceSamplesPerSecond, double lastLoss) {}

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
    Engine engine = Engine.getEngine("PyTorch");
    System.out.printf(
        Locale.ROOT,
        "CNN training and batch-%d inference, %d Fashion-MNIST images, %d thread(s), %d warm-up +"
            + " %d timed epochs per engine, %d round(s); DJL %s on libtorch %s, MALLOC_TRIM_THRESHOLD_=%s"
            + " MALLOC_MMAP_THRESHOLD_=%s%n",
        a.batch,
        n,
        a.threads,
        a.warmupEpochs,
        a.epochs,
        a.rounds,
        Engine.getDjlVersion(),
        engine.getVersion(),
        System.getenv().getOrDefault("MALLOC_TRIM_THRESHOLD_", "unset"),
        System.getenv().getOrDefault("MALLOC_MMAP_THRESHOLD_", "unset"));

    List<Speeds> djl = new ArrayList<>();
    List<Speeds> torch = new ArrayList<>();
    String torchVersion = "?";
    for (int round = 1; round <= a.rounds; round++) {
      Speeds d = djl(a, x, y, n, images.height(), images.width());
      djl.add(d);
      JsonNode t = pytorch(a);
      torchVersion = t.get("version").asText();
      torch.add(
          new Speeds(
              t.get("train_samples_per_second").asDouble(),
              t.get("inference_samples_per_second").asDouble(),
              t.get("last_train_loss").asDouble()));
      System.out.printf(
          Locale.ROOT,
          "round %d: train samples/s DJL %.0f, PyTorch %.0f (ratio %.2f); inference samples/s DJL"
              + " %.0f, PyTorch %.0f (ratio %.2f); last epoch loss DJL %.3f, PyTorch %.3f%n",
          round,
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

  /** One DJL round: a fresh network, warm-up and timed epochs, then timed inference. */
  static Speeds djl(Args a, float[] x, float[] y, int n, int height, int width) {
    Engine.getEngine("PyTorch").setRandomSeed(Long.hashCode(a.seed));
    int size = height * width;
    try (Model model = Model.newInstance("cnn", Device.cpu(), "PyTorch")) {
      model.setBlock(cnn(CLASSES));
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.001f)).build())
              .optDevices(new Device[] {Device.cpu()});
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(a.batch, 1, height, width));
        Random random = new Random(a.seed);
        double loss = Double.NaN;
        for (int e = 0; e < a.warmupEpochs; e++) {
          loss = epoch(trainer, x, y, n, size, height, width, a.batch, random);
        }
        List<Double> rates = new ArrayList<>();
        for (int e = 0; e < a.epochs; e++) {
          long start = System.nanoTime();
          loss = epoch(trainer, x, y, n, size, height, width, a.batch, random);
          rates.add(n / ((System.nanoTime() - start) / 1e9));
        }
        infer(trainer, x, Math.min(n, a.batch * 10), size, height, width, a.batch);
        long start = System.nanoTime();
        infer(trainer, x, n, size, height, width, a.batch);
        double inference = n / ((System.nanoTime() - start) / 1e9);
        return new Speeds(median(rates), inference, loss);
      }
    }
  }

  /** The CNN of {@code Networks.cnn}, layer for layer. */
  static SequentialBlock cnn(int outputs) {
    SequentialBlock block = new SequentialBlock();
    block.add(conv(32));
    block.add(Activation::relu);
    block.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    block.add(conv(64));
    block.add(Activation::relu);
    block.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    block.add(Blocks.batchFlattenBlock());
    block.add(Linear.builder().setUnits(128).build());
    block.add(Activation::relu);
    block.add(Linear.builder().setUnits(outputs).build());
    return block;
  }

  private static Conv2d conv(int filters) {
    return Conv2d.builder()
        .setKernelShape(new Shape(3, 3))
        .optPadding(new Shape(1, 1))
        .setFilters(filters)
        .build();
  }

  private static double epoch(
      Trainer trainer,
      float[] x,
      float[] y,
      int n,
      int size,
      int height,
      int width,
      int batch,
      Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double total = 0;
    for (int from = 0; from < n; from += batch) {
      int rows = Math.min(batch, n - from);
      float[] bx = new float[rows * size];
      float[] by = new float[rows];
      for (int i = 0; i < rows; i++) {
        System.arraycopy(x, order[from + i] * size, bx, i * size, size);
        by[i] = y[order[from + i]];
      }
      try (NDManager manager = trainer.getManager().newSubManager()) {
        NDList input = new NDList(manager.create(bx, new Shape(rows, 1, height, width)));
        NDList labels = new NDList(manager.create(by, new Shape(rows)));
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray loss = trainer.getLoss().evaluate(labels, trainer.forward(input, labels));
          collector.backward(loss);
          total += loss.getFloat() * rows;
        }
        trainer.step();
      }
    }
    return total / n;
  }

  private static void infer(
      Trainer trainer, float[] x, int n, int size, int height, int width, int batch) {
    for (int from = 0; from < n; from += batch) {
      int rows = Math.min(batch, n - from);
      float[] bx = new float[rows * size];
      System.arraycopy(x, from * size, bx, 0, rows * size);
      try (NDManager manager = trainer.getManager().newSubManager()) {
        NDList out =
            trainer.evaluate(new NDList(manager.create(bx, new Shape(rows, 1, height, width))));
        out.singletonOrThrow().argMax(1).toLongArray();
      }
    }
  }

  /** Runs the PyTorch script once and returns the JSON object it prints last. */
  static JsonNode pytorch(Args a) throws IOException, InterruptedException {
    List<String> command =
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
            String.valueOf(a.seed));
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
      Path script) {

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
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
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
                      + " --rounds --seed --python --script");
        }
      }
      if (images < batch || batch < 1 || threads < 1 || epochs < 1 || warmup < 0 || rounds < 1) {
        throw new IllegalArgumentException(
            "Need images >= batch >= 1, threads >= 1, epochs >= 1, warm-up >= 0, rounds >= 1");
      }
      return new Args(data, images, batch, threads, warmup, epochs, rounds, seed, python, script);
    }
  }
}
