package dev.lifecycle.bench;

import dev.lifecycle.activities.labeling.consensus.LabelClasses;
import dev.lifecycle.activities.labeling.consensus.RankedItem;
import dev.lifecycle.activities.labeling.consensus.SamplingOptions;
import dev.lifecycle.activities.labeling.consensus.UncertaintyMeasure;
import dev.lifecycle.activities.labeling.consensus.UncertaintySampling;
import dev.lifecycle.examples.fashion.FashionMnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Active learning against random selection on Fashion-MNIST, with simulated annotators answering
 * from the true labels: both start from the same random labels; every round, random selection
 * labels {@code batch} more random pool images, active learning the {@code batch} images the
 * current model is least confident about, chosen by the labeling step's own {@link
 * UncertaintySampling}; after each round the model is retrained from scratch on the labels so far
 * (the Ground Truth loop) and scored on the test set. The result: how many human labels active
 * learning needs to reach the test accuracy random selection reaches with its largest budget.
 *
 * <p>The model is a small MLP (784-128-10, ReLU, softmax, Adam) in plain Java so that the numbers
 * depend on the selection, not on an engine; it trains on one core.
 *
 * <pre>
 * bench/active-learning.sh [--pool 10000] [--test 2000] [--start 100] [--batch 100]
 *                          [--max 2000] [--epochs 20] [--seeds 1,2,3]
 * </pre>
 */
public final class ActiveLearningBench {
  private static final int PIXELS = 28 * 28;
  private static final int HIDDEN = 128;
  private static final int CLASSES = 10;

  private ActiveLearningBench() {}

  public static void main(String[] args) throws IOException {
    int pool = 10_000;
    int testSize = 2_000;
    int start = 100;
    int batch = 100;
    int max = 2_000;
    int epochs = 20;
    List<Long> seeds = List.of(1L, 2L, 3L);
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--pool" -> pool = Integer.parseInt(value);
        case "--test" -> testSize = Integer.parseInt(value);
        case "--start" -> start = Integer.parseInt(value);
        case "--batch" -> batch = Integer.parseInt(value);
        case "--max" -> max = Integer.parseInt(value);
        case "--epochs" -> epochs = Integer.parseInt(value);
        case "--seeds" -> {
          List<Long> parsed = new ArrayList<>();
          for (String s : value.split(",")) {
            parsed.add(Long.parseLong(s.strip()));
          }
          seeds = parsed;
        }
        default -> throw new IllegalArgumentException("Unknown option " + args[i]);
      }
    }
    Path dir = FashionMnist.DIRECTORY;
    float[][] trainX =
        pixels(FashionMnist.readImages(FashionMnist.images(dir, FashionMnist.TRAIN)));
    byte[] trainY = FashionMnist.readLabels(FashionMnist.labels(dir, FashionMnist.TRAIN));
    float[][] testX = pixels(FashionMnist.readImages(FashionMnist.images(dir, FashionMnist.TEST)));
    byte[] testY = FashionMnist.readLabels(FashionMnist.labels(dir, FashionMnist.TEST));
    System.out.printf(
        Locale.ROOT,
        "Fashion-MNIST: pool %d training images, test %d, start %d random labels, +%d per round"
            + " up to %d, MLP 784-%d-10, %d epochs from scratch per round, seeds %s%n",
        pool,
        testSize,
        start,
        batch,
        max,
        HIDDEN,
        epochs,
        seeds);
    int rounds = (max - start) / batch + 1;
    double[][] randomCurve = new double[seeds.size()][rounds];
    double[][] activeCurve = new double[seeds.size()][rounds];
    long began = System.nanoTime();
    for (int s = 0; s < seeds.size(); s++) {
      long seed = seeds.get(s);
      Random shuffle = new Random(seed);
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < trainX.length; i++) {
        order.add(i);
      }
      Collections.shuffle(order, shuffle);
      int[] poolRows = order.subList(0, pool).stream().mapToInt(Integer::intValue).toArray();
      float[][] tx = java.util.Arrays.copyOf(testX, testSize);
      byte[] ty = java.util.Arrays.copyOf(testY, testSize);
      randomCurve[s] =
          run(false, trainX, trainY, poolRows, tx, ty, start, batch, rounds, epochs, seed);
      activeCurve[s] =
          run(true, trainX, trainY, poolRows, tx, ty, start, batch, rounds, epochs, seed);
    }
    double[] random = mean(randomCurve);
    double[] active = mean(activeCurve);
    System.out.println("labels  random  uncertainty (least confidence), mean test accuracy");
    for (int r = 0; r < rounds; r++) {
      System.out.printf(Locale.ROOT, "%6d  %.4f  %.4f%n", start + r * batch, random[r], active[r]);
    }
    double target = random[rounds - 1];
    int needed = -1;
    for (int r = 0; r < rounds; r++) {
      if (active[r] >= target) {
        needed = start + r * batch;
        break;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "Random selection reaches %.4f with %d labels; ",
        target,
        start + (rounds - 1) * batch);
    if (needed < 0) {
      System.out.printf("active learning does not reach it within %d labels.%n", max);
    } else {
      int randomLabels = start + (rounds - 1) * batch;
      System.out.printf(
          Locale.ROOT,
          "active learning reaches it with %d: %.2f of the labels (%.0f%% fewer).%n",
          needed,
          needed / (double) randomLabels,
          100 * (1 - needed / (double) randomLabels));
    }
    System.out.printf(Locale.ROOT, "took %.0f s%n", (System.nanoTime() - began) / 1e9);
  }

  /** Test accuracy after each round of one strategy. */
  private static double[] run(
      boolean active,
      float[][] x,
      byte[] y,
      int[] poolRows,
      float[][] testX,
      byte[] testY,
      int start,
      int batch,
      int rounds,
      int epochs,
      long seed) {
    Random random = new Random(seed * 31 + 7);
    Set<Integer> labeled = new LinkedHashSet<>();
    List<Integer> unlabeled = new ArrayList<>();
    for (int row : poolRows) {
      unlabeled.add(row);
    }
    // The same first labels for both strategies: the first `start` pool rows (already shuffled).
    for (int i = 0; i < start; i++) {
      labeled.add(unlabeled.remove(0));
    }
    LabelClasses schema = classes();
    double[] curve = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      Mlp model = Mlp.train(x, y, new ArrayList<>(labeled), epochs, seed);
      curve[r] = model.accuracy(testX, testY);
      if (r == rounds - 1) {
        break;
      }
      if (active) {
        double[][] p = new double[unlabeled.size()][];
        List<String> ids = new ArrayList<>(unlabeled.size());
        for (int i = 0; i < unlabeled.size(); i++) {
          p[i] = model.probabilities(x[unlabeled.get(i)]);
          ids.add(String.valueOf(unlabeled.get(i)));
        }
        List<RankedItem> chosen =
            UncertaintySampling.select(
                    schema, ids, p, SamplingOptions.of(UncertaintyMeasure.LEAST_CONFIDENCE, batch))
                .forPeople();
        Set<Integer> picked = new LinkedHashSet<>();
        for (RankedItem item : chosen) {
          picked.add(unlabeled.get(item.index()));
        }
        labeled.addAll(picked);
        unlabeled.removeIf(picked::contains);
      } else {
        for (int k = 0; k < batch && !unlabeled.isEmpty(); k++) {
          labeled.add(unlabeled.remove(random.nextInt(unlabeled.size())));
        }
      }
    }
    return curve;
  }

  private static LabelClasses classes() {
    String[] names = new String[CLASSES];
    for (int c = 0; c < CLASSES; c++) {
      names[c] = String.valueOf(c);
    }
    return LabelClasses.of(names);
  }

  private static float[][] pixels(FashionMnist.Images images) {
    float[][] x = new float[images.count()][];
    for (int i = 0; i < images.count(); i++) {
      byte[] image = images.image(i);
      float[] row = new float[PIXELS];
      for (int j = 0; j < PIXELS; j++) {
        row[j] = (image[j] & 0xff) / 255f;
      }
      x[i] = row;
    }
    return x;
  }

  private static double[] mean(double[][] curves) {
    double[] m = new double[curves[0].length];
    for (double[] c : curves) {
      for (int r = 0; r < m.length; r++) {
        m[r] += c[r] / curves.length;
      }
    }
    return m;
  }

  /** A 784-128-10 MLP trained with Adam (learning rate 0.001, batch 32) on one thread. */
  private static final class Mlp {
    final float[] w1 = new float[PIXELS * HIDDEN];
    final float[] b1 = new float[HIDDEN];
    final float[] w2 = new float[HIDDEN * CLASSES];
    final float[] b2 = new float[CLASSES];

    static Mlp train(float[][] x, byte[] y, List<Integer> rows, int epochs, long seed) {
      Mlp m = new Mlp();
      Random random = new Random(seed);
      double s1 = Math.sqrt(2.0 / PIXELS);
      double s2 = Math.sqrt(2.0 / HIDDEN);
      for (int i = 0; i < m.w1.length; i++) {
        m.w1[i] = (float) (random.nextGaussian() * s1);
      }
      for (int i = 0; i < m.w2.length; i++) {
        m.w2[i] = (float) (random.nextGaussian() * s2);
      }
      Adam adam = new Adam(m);
      float[] h = new float[HIDDEN];
      float[] p = new float[CLASSES];
      float[] gh = new float[HIDDEN];
      List<Integer> order = new ArrayList<>(rows);
      int batchSize = 32;
      for (int e = 0; e < epochs; e++) {
        Collections.shuffle(order, random);
        for (int from = 0; from < order.size(); from += batchSize) {
          int to = Math.min(order.size(), from + batchSize);
          adam.zero();
          for (int k = from; k < to; k++) {
            float[] in = x[order.get(k)];
            m.forward(in, h, p);
            p[y[order.get(k)]] -= 1;
            float scale = 1f / (to - from);
            java.util.Arrays.fill(gh, 0);
            for (int c = 0; c < CLASSES; c++) {
              float g = p[c] * scale;
              adam.gb2[c] += g;
              for (int j = 0; j < HIDDEN; j++) {
                adam.gw2[j * CLASSES + c] += g * h[j];
                gh[j] += g * m.w2[j * CLASSES + c];
              }
            }
            for (int j = 0; j < HIDDEN; j++) {
              if (h[j] <= 0) {
                continue;
              }
              float g = gh[j];
              adam.gb1[j] += g;
              int base = j;
              for (int i = 0; i < PIXELS; i++) {
                float v = in[i];
                if (v != 0) {
                  adam.gw1[i * HIDDEN + base] += g * v;
                }
              }
            }
          }
          adam.step();
        }
      }
      return m;
    }

    void forward(float[] in, float[] h, float[] p) {
      System.arraycopy(b1, 0, h, 0, HIDDEN);
      for (int i = 0; i < PIXELS; i++) {
        float v = in[i];
        if (v == 0) {
          continue;
        }
        int row = i * HIDDEN;
        for (int j = 0; j < HIDDEN; j++) {
          h[j] += v * w1[row + j];
        }
      }
      for (int j = 0; j < HIDDEN; j++) {
        h[j] = Math.max(0, h[j]);
      }
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < CLASSES; c++) {
        float z = b2[c];
        for (int j = 0; j < HIDDEN; j++) {
          z += h[j] * w2[j * CLASSES + c];
        }
        p[c] = z;
        max = Math.max(max, z);
      }
      float sum = 0;
      for (int c = 0; c < CLASSES; c++) {
        p[c] = (float) Math.exp(p[c] - max);
        sum += p[c];
      }
      for (int c = 0; c < CLASSES; c++) {
        p[c] /= sum;
      }
    }

    double[] probabilities(float[] in) {
      float[] h = new float[HIDDEN];
      float[] p = new float[CLASSES];
      forward(in, h, p);
      double[] q = new double[CLASSES];
      double sum = 0;
      for (int c = 0; c < CLASSES; c++) {
        q[c] = p[c];
        sum += q[c];
      }
      for (int c = 0; c < CLASSES; c++) {
        q[c] /= sum;
      }
      return q;
    }

    double accuracy(float[][] x, byte[] y) {
      float[] h = new float[HIDDEN];
      float[] p = new float[CLASSES];
      int right = 0;
      for (int i = 0; i < x.length; i++) {
        forward(x[i], h, p);
        int best = 0;
        for (int c = 1; c < CLASSES; c++) {
          best = p[c] > p[best] ? c : best;
        }
        right += best == y[i] ? 1 : 0;
      }
      return right / (double) x.length;
    }
  }

  /** Adam over the four parameter arrays of an {@link Mlp}. */
  private static final class Adam {
    final Mlp m;
    final float[] gw1 = new float[PIXELS * HIDDEN];
    final float[] gb1 = new float[HIDDEN];
    final float[] gw2 = new float[HIDDEN * CLASSES];
    final float[] gb2 = new float[CLASSES];
    final float[][] first;
    final float[][] second;
    int t;

    Adam(Mlp m) {
      this.m = m;
      first =
          new float[][] {
            new float[gw1.length],
            new float[gb1.length],
            new float[gw2.length],
            new float[gb2.length]
          };
      second =
          new float[][] {
            new float[gw1.length],
            new float[gb1.length],
            new float[gw2.length],
            new float[gb2.length]
          };
    }

    void zero() {
      java.util.Arrays.fill(gw1, 0);
      java.util.Arrays.fill(gb1, 0);
      java.util.Arrays.fill(gw2, 0);
      java.util.Arrays.fill(gb2, 0);
    }

    void step() {
      t++;
      float[][] params = {m.w1, m.b1, m.w2, m.b2};
      float[][] grads = {gw1, gb1, gw2, gb2};
      double c1 = 1 - Math.pow(0.9, t);
      double c2 = 1 - Math.pow(0.999, t);
      float rate = (float) (0.001 * Math.sqrt(c2) / c1);
      for (int a = 0; a < params.length; a++) {
        float[] w = params[a];
        float[] g = grads[a];
        float[] m1 = first[a];
        float[] m2 = second[a];
        for (int i = 0; i < w.length; i++) {
          m1[i] = 0.9f * m1[i] + 0.1f * g[i];
          m2[i] = 0.999f * m2[i] + 0.001f * g[i] * g[i];
          w[i] -= rate * m1[i] / ((float) Math.sqrt(m2[i]) + 1e-8f);
        }
      }
    }
  }
}
