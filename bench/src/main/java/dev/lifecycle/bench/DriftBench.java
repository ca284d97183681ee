package dev.lifecycle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.monitoring.ChiSquareResult;
import dev.lifecycle.activities.monitoring.DriftStatistics;
import dev.lifecycle.activities.monitoring.KolmogorovSmirnov;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The drift benchmark's Java side (bench/drift.sh runs it beside NumPy/SciPy on the same data).
 *
 * <ul>
 *   <li>{@code generate DIR ROWS FEATURES CATEGORICAL SEED}: writes {@code baseline.f64} and {@code
 *       current.f64}, column after column of little-endian doubles; the last CATEGORICAL features
 *       hold category codes 0..7; every third feature of the current sample is shifted.
 *   <li>{@code run DIR ROUNDS OUT}: loads both files, computes every drift statistic of every
 *       feature (numeric: PSI and Jensen–Shannon over 10 quantile bins, Kolmogorov–Smirnov,
 *       Wasserstein; categorical: chi-square with Yates, PSI, Jensen–Shannon over categories)
 *       ROUNDS times, and writes the values, the median time and the peak resident memory (VmHWM)
 *       as JSON to OUT.
 *   <li>{@code compare JAVA_JSON PYTHON_JSON}: prints both sides' times and memory, their ratios,
 *       and the largest relative difference between their statistics.
 * </ul>
 */
public final class DriftBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BINS = 10;

  private DriftBench() {}

  public static void main(String[] args) throws Exception {
    switch (args.length == 0 ? "" : args[0]) {
      case "generate" ->
          generate(
              Path.of(args[1]),
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              Integer.parseInt(args[4]),
              Long.parseLong(args[5]));
      case "run" -> run(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
      case "compare" -> compare(Path.of(args[1]), Path.of(args[2]));
      default -> {
        System.err.println("usage: DriftBench generate|run|compare ... (see bench/drift.sh)");
        System.exit(2);
      }
    }
  }

  private static void generate(Path dir, int rows, int features, int categorical, long seed)
      throws IOException {
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(seed);
    for (String sample : List.of("baseline", "current")) {
      boolean current = sample.equals("current");
      try (FileChannel out =
          FileChannel.open(
              dir.resolve(sample + ".f64"),
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.allocate(rows * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int f = 0; f < features; f++) {
          buffer.clear();
          boolean shifted = current && f % 3 == 0;
          boolean isCategorical = f >= features - categorical;
          for (int r = 0; r < rows; r++) {
            double v;
            if (isCategorical) {
              double u = random.nextDouble();
              v = Math.min(7, Math.floor(shifted ? 8 * u * u : 8 * u));
            } else {
              v = random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5;
              v = v * (1 + f % 4) + f + (shifted ? 0.2 : 0);
            }
            buffer.putDouble(v);
          }
          buffer.flip();
          while (buffer.hasRemaining()) {
            out.write(buffer);
          }
        }
      }
    }
    ObjectNode meta = JSON.createObjectNode();
    meta.put("rows", rows).put("features", features).put("categorical", categorical);
    meta.put("seed", seed);
    Files.writeString(dir.resolve("meta.json"), meta.toString());
  }

  private static double[][] load(Path file, int rows, int features) throws IOException {
    double[][] columns = new double[features][rows];
    try (FileChannel in = FileChannel.open(file)) {
      ByteBuffer buffer = ByteBuffer.allocate(rows * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (int f = 0; f < features; f++) {
        buffer.clear();
        while (buffer.hasRemaining() && in.read(buffer) > 0) {}
        buffer.flip();
        buffer.asDoubleBuffer().get(columns[f]);
      }
    }
    return columns;
  }

  private static void run(Path dir, int rounds, Path out) throws IOException {
    JsonNode meta = JSON.readTree(dir.resolve("meta.json").toFile());
    int rows = meta.get("rows").asInt();
    int features = meta.get("features").asInt();
    int categorical = meta.get("categorical").asInt();
    long loadStart = System.nanoTime();
    double[][] baseline = load(dir.resolve("baseline.f64"), rows, features);
    double[][] current = load(dir.resolve("current.f64"), rows, features);
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    List<Double> times = new ArrayList<>();
    ObjectNode values = null;
    for (int round = 0; round < rounds; round++) {
      long start = System.nanoTime();
      values = statistics(baseline, current, features - categorical);
      times.add((System.nanoTime() - start) / 1e9);
    }
    ObjectNode result = JSON.createObjectNode();
    result.put("side", "java");
    result.put("loadSeconds", loadSeconds);
    ArrayNode t = result.putArray("seconds");
    times.forEach(t::add);
    result.put("medianSeconds", median(times));
    result.put("peakRssBytes", peakRss());
    result.set("values", values);
    Files.writeString(out, result.toString());
  }

  private static ObjectNode statistics(double[][] baseline, double[][] current, int numeric) {
    ObjectNode values = JSON.createObjectNode();
    for (int f = 0; f < baseline.length; f++) {
      String name = "f" + f;
      ObjectNode v = values.putObject(name);
      if (f < numeric) {
        double[] cuts = DriftStatistics.quantileCuts(name, baseline[f], BINS);
        long[] hb = DriftStatistics.histogram(cuts, baseline[f]);
        long[] hc = DriftStatistics.histogram(cuts, current[f]);
        v.put("psi", DriftStatistics.psi(name, hb, hc));
        v.put("jensenShannon", DriftStatistics.jensenShannon(name, hb, hc));
        KolmogorovSmirnov.Result ks =
            DriftStatistics.kolmogorovSmirnov(name, baseline[f], current[f]);
        v.put("ksStatistic", ks.statistic());
        v.put("ksPvalue", ks.pValue());
        v.put("wasserstein", DriftStatistics.wasserstein(name, baseline[f], current[f]));
      } else {
        Map<String, Long> b = counts(baseline[f]);
        Map<String, Long> c = counts(current[f]);
        ChiSquareResult chi = DriftStatistics.chiSquare(name, b, c, true);
        v.put("chiSquare", chi.statistic());
        v.put("chiSquarePvalue", chi.pValue());
        long[] cb = chi.categories().stream().mapToLong(k -> b.getOrDefault(k, 0L)).toArray();
        long[] cc = chi.categories().stream().mapToLong(k -> c.getOrDefault(k, 0L)).toArray();
        v.put("psi", DriftStatistics.psi(name, cb, cc));
        v.put("jensenShannon", DriftStatistics.jensenShannon(name, cb, cc));
      }
    }
    return values;
  }

  /** Category counts of integer codes, keyed by the code as text, in code order. */
  private static Map<String, Long> counts(double[] codes) {
    long[] counts = new long[64];
    for (double c : codes) {
      counts[(int) c]++;
    }
    Map<String, Long> map = new LinkedHashMap<>();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        map.put(Integer.toString(i), counts[i]);
      }
    }
    return map;
  }

  private static double median(List<Double> times) {
    double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The process's peak resident set size, from /proc/self/status. */
  private static long peakRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  private static void compare(Path javaJson, Path pythonJson) throws IOException {
    JsonNode j = JSON.readTree(javaJson.toFile());
    JsonNode p = JSON.readTree(pythonJson.toFile());
    double worst = 0;
    String where = "";
    var names = j.get("values").fieldNames();
    while (names.hasNext()) {
      String feature = names.next();
      var stats = j.get("values").get(feature).fieldNames();
      while (stats.hasNext()) {
        String stat = stats.next();
        double a = j.get("values").get(feature).get(stat).asDouble();
        JsonNode other = p.get("values").path(feature).path(stat);
        if (other.isMissingNode()) {
          throw new IllegalStateException("Python has no " + feature + "." + stat);
        }
        double b = other.asDouble();
        double scale = Math.max(Math.abs(a), Math.abs(b));
        double diff = scale == 0 ? 0 : Math.abs(a - b) / scale;
        if (Math.abs(a - b) < 1e-300) {
          diff = 0;
        }
        if (diff > worst) {
          worst = diff;
          where = feature + "." + stat + " (java " + a + ", python " + b + ")";
        }
      }
    }
    double jt = j.get("medianSeconds").asDouble();
    double pt = p.get("medianSeconds").asDouble();
    double jm = j.get("peakRssBytes").asDouble() / (1 << 20);
    double pm = p.get("peakRssBytes").asDouble() / (1 << 20);
    System.out.printf(
        Locale.ROOT,
        "%-26s %12s %12s %10s%n",
        "all drift statistics",
        "Lifecycle",
        "NumPy/SciPy",
        "ratio");
    System.out.printf(
        Locale.ROOT,
        "%-26s %11.2fs %11.2fs %9.2fx   (NumPy/SciPy time / Lifecycle time; >1 = Lifecycle"
            + " faster)%n",
        "median compute time",
        jt,
        pt,
        pt / jt);
    System.out.printf(
        Locale.ROOT,
        "%-26s %10.0fMB %10.0fMB %9.2fx   (Lifecycle / NumPy/SciPy)%n",
        "peak resident memory",
        jm,
        pm,
        jm / pm);
    System.out.printf(
        Locale.ROOT,
        "%-26s %11.2fs %11.2fs%n",
        "load both samples",
        j.get("loadSeconds").asDouble(),
        p.get("loadSeconds").asDouble());
    System.out.printf(
        Locale.ROOT,
        "largest relative difference between the two sides: %.3g%s%n",
        worst,
        worst == 0 ? "" : " at " + where);
    System.out.println(
        "rounds (s): Lifecycle " + j.get("seconds") + ", NumPy/SciPy " + p.get("seconds"));
    if (worst > 1e-9) {
      System.out.println("FAIL: the two sides disagree beyond 1e-9");
      System.exit(1);
    }
  }

  static String describe(double[] values) {
    return Arrays.toString(values);
  }
}
