package dev.lifecycle.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs on the Debian package's files (CI installs {@code dataset-fashion-mnist}). */
class FashionMnistShiftTest {
  private static final int TRAIN = 300;
  private static final int TEST = 200;

  @TempDir static Path shared;
  private static FashionMnistShift.Written written;
  private static FashionMnist.Images originalTrain;
  private static byte[] originalTrainLabels;

  @BeforeAll
  static void writeOnce() throws Exception {
    written = FashionMnistShift.write(shared.resolve("a"), 42, TRAIN, TEST);
    originalTrain = FashionMnist.readImages(FashionMnist.images(FashionMnist.DIRECTORY, "train"));
    originalTrainLabels =
        FashionMnist.readLabels(FashionMnist.labels(FashionMnist.DIRECTORY, "train"));
  }

  @Test
  void writesTheFilesAPipelineIngestsWithFormatIdx() {
    Path dir = shared.resolve("a");
    for (String set : List.of("pretrain", "t10k", "shifted-train", "shifted-t10k")) {
      assertTrue(Files.isRegularFile(FashionMnist.images(dir, set)), set);
      assertTrue(Files.isRegularFile(FashionMnist.labels(dir, set)), set);
    }
    assertEquals(FashionMnist.images(dir, "shifted-train"), written.shiftedTrainImages());
    assertEquals("shifted-t10k-images-idx3-ubyte.gz", name(written.shiftedTestImages()));
    assertEquals("pretrain-images-idx3-ubyte.gz", name(written.pretrainImages()));
    assertEquals("t10k-images-idx3-ubyte.gz", name(written.testImages()));
  }

  @Test
  void sameSeedGivesTheSameBytesAndAnotherSeedOtherPixels() throws Exception {
    FashionMnistShift.write(shared.resolve("b"), 42, TRAIN, TEST);

    for (String set : List.of("pretrain", "shifted-train", "shifted-t10k")) {
      assertArrayEquals(
          Files.readAllBytes(FashionMnist.images(shared.resolve("a"), set)),
          Files.readAllBytes(FashionMnist.images(shared.resolve("b"), set)),
          set);
    }
    FashionMnist.Images test =
        FashionMnist.readImages(FashionMnist.images(FashionMnist.DIRECTORY, "t10k")).range(0, 3);
    FashionMnist.Images seed42 =
        FashionMnistShift.shift(test, 0, 3, 42, FashionMnistShift.TEST_STREAM);
    FashionMnist.Images seed43 =
        FashionMnistShift.shift(test, 0, 3, 43, FashionMnistShift.TEST_STREAM);
    assertArrayEquals(
        FashionMnist.readImages(written.shiftedTestImages()).image(2), seed42.image(2));
    assertFalse(Arrays.equals(seed42.image(2), seed43.image(2)));
  }

  @Test
  void keepsTheLabelsAndHoldsTheShiftedImagesOutOfPretraining() throws Exception {
    Path dir = shared.resolve("a");
    int pretrain = originalTrain.count() - TRAIN;
    assertArrayEquals(
        Arrays.copyOfRange(originalTrainLabels, pretrain, originalTrain.count()),
        FashionMnist.readLabels(FashionMnist.labels(dir, "shifted-train")));
    assertArrayEquals(
        Arrays.copyOf(originalTrainLabels, pretrain),
        FashionMnist.readLabels(FashionMnist.labels(dir, "pretrain")));
    byte[] testLabels =
        FashionMnist.readLabels(FashionMnist.labels(FashionMnist.DIRECTORY, "t10k"));
    assertArrayEquals(
        Arrays.copyOf(testLabels, TEST),
        FashionMnist.readLabels(FashionMnist.labels(dir, "shifted-t10k")));
    assertArrayEquals(
        Files.readAllBytes(FashionMnist.images(FashionMnist.DIRECTORY, "t10k")),
        Files.readAllBytes(written.testImages()));

    FashionMnist.Images pretrainImages = FashionMnist.readImages(written.pretrainImages());
    assertEquals(pretrain, pretrainImages.count());
    assertArrayEquals(originalTrain.image(pretrain - 1), pretrainImages.image(pretrain - 1));
    FashionMnist.Images shifted = FashionMnist.readImages(written.shiftedTrainImages());
    assertEquals(TRAIN, shifted.count());
    assertEquals(28, shifted.height());
    assertEquals(28, shifted.width());
    // Each shifted image is its own original's shift, seeded by its index in the original file.
    assertArrayEquals(
        CameraShift.DEFAULT.apply(
            originalTrain.image(pretrain + 7),
            28,
            28,
            CameraShift.imageSeed(42, FashionMnistShift.TRAIN_STREAM, pretrain + 7)),
        shifted.image(7));
  }

  @Test
  void movesPixelStatisticsTheWayTheCameraShould() throws Exception {
    FashionMnist.Images original =
        FashionMnist.readImages(FashionMnist.images(FashionMnist.DIRECTORY, "t10k")).range(0, TEST);
    FashionMnist.Images shifted = FashionMnist.readImages(written.shiftedTestImages());
    Stats before = Stats.of(original);
    Stats after = Stats.of(shifted);

    // Inverted: the black background (about half the pixels are exactly 0) becomes light grey.
    assertTrue(before.mean < 0.35 && after.mean > 0.6, before + " → " + after);
    assertTrue(before.zeros > 0.4 && after.zeros < 0.01, before + " → " + after);
    // Noise spreads the background over many levels, and the sensor rarely saturates.
    assertTrue(before.mode > 0.4 && after.mode < 0.05, before + " → " + after);
    assertTrue(after.saturated < 0.01, after.toString());
    // Blur softens edges, noise roughens flat areas: neighbour differences change.
    assertTrue(Math.abs(after.edge - before.edge) > 0.005, before + " → " + after);
    // The objects stay where they were: the shifted image correlates with the inverted original.
    double sum = 0;
    for (int i = 0; i < 20; i++) {
      double r = correlation(original.image(i), shifted.image(i));
      assertTrue(r < -0.5, "image " + i + " correlates " + r + " with its original");
      sum += r;
    }
    assertTrue(sum / 20 < -0.75, "mean correlation " + sum / 20);
  }

  @Test
  void writesAPreviewGrid() throws Exception {
    Path png = shared.resolve("preview.png");
    FashionMnistShift.writePreview(FashionMnist.DIRECTORY, png, 42, 16, 2);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(16 * (28 * 2 + 4) + 4, image.getWidth());
    assertEquals(2 * (28 * 2 + 4) + 4, image.getHeight());
  }

  @Test
  void rejectsCountsThatLeaveNothingToPretrainOn() {
    assertThrows(
        IllegalArgumentException.class,
        () -> FashionMnistShift.write(shared.resolve("x"), 1, 60000, 10));
    assertThrows(
        IllegalArgumentException.class,
        () -> FashionMnistShift.write(shared.resolve("x"), 1, 10, 10001));
  }

  private static String name(Path path) {
    return path.getFileName().toString();
  }

  private static double correlation(byte[] a, byte[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i] & 0xff;
      mb += b[i] & 0xff;
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      double da = (a[i] & 0xff) - ma;
      double db = (b[i] & 0xff) - mb;
      sab += da * db;
      saa += da * da;
      sbb += db * db;
    }
    return sab / Math.sqrt(saa * sbb);
  }

  /**
   * Mean intensity, shares of pixels at 0, at the commonest level and at 255, mean step between
   * horizontal neighbours.
   */
  private record Stats(double mean, double zeros, double mode, double saturated, double edge) {
    static Stats of(FashionMnist.Images images) {
      long sum = 0;
      long zeros = 0;
      long[] levels = new long[256];
      double edge = 0;
      long pixels = 0;
      for (int i = 0; i < images.count(); i++) {
        byte[] p = images.image(i);
        for (int j = 0; j < p.length; j++) {
          int v = p[j] & 0xff;
          sum += v;
          levels[v]++;
          if (v == 0) {
            zeros++;
          }
          if ((j + 1) % images.width() != 0) {
            edge += Math.abs(v - (p[j + 1] & 0xff)) / 255.0;
          }
        }
        pixels += p.length;
      }
      long mode = Arrays.stream(levels).max().orElseThrow();
      return new Stats(
          sum / 255.0 / pixels,
          (double) zeros / pixels,
          (double) mode / pixels,
          (double) levels[255] / pixels,
          edge / pixels);
    }
  }

  @Test
  void preparesNestedLabelledSubsetsOfTheShiftedTrainingImages() throws Exception {
    Path dir = shared.resolve("prepared");
    FashionMnistShift.Written written = FashionMnistShift.prepare(dir);
    FashionMnist.Images shifted = FashionMnist.readImages(written.shiftedTrainImages());
    byte[] labels = FashionMnist.readLabels(FashionMnist.labels(dir, "shifted-train"));
    assertEquals(FashionMnistShift.SHIFTED_TRAIN, shifted.count());
    for (int size : FashionMnistShift.LABEL_SUBSETS) {
      Path subset = FashionMnistShift.shiftedTrainSubset(dir, size);
      assertEquals("shifted-train-" + size + "-images-idx3-ubyte.gz", name(subset));
      FashionMnist.Images images = FashionMnist.readImages(subset);
      assertEquals(size, images.count());
      assertArrayEquals(shifted.image(size - 1), images.image(size - 1));
      assertArrayEquals(
          Arrays.copyOf(labels, size),
          FashionMnist.readLabels(FashionMnist.labels(dir, "shifted-train-" + size)));
    }
    assertEquals(
        FashionMnistShift.SHIFTED_TEST,
        FashionMnist.readImages(written.shiftedTestImages()).count());
  }

  @Test
  void defaultsTheDataFolderToLifecycleHome() {
    assertEquals(
        Path.of("/srv/lifecycle/data/fashion-mnist"),
        FashionMnistShift.defaultDirectory(java.util.Map.of("LIFECYCLE_HOME", "/srv/lifecycle")));
    assertEquals(
        Path.of(System.getProperty("user.home"), ".lifecycle", "data", "fashion-mnist"),
        FashionMnistShift.defaultDirectory(java.util.Map.of()));
  }
}
