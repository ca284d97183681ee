package dev.lifecycle.examples.fashion;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes Fashion-MNIST seen through the {@link CameraShift#DEFAULT "new camera"}, as gzipped IDX
 * files a pipeline ingests with format {@code idx}, for the fine-tuning example: pretrain on the
 * original images, fine-tune on a few hundred labeled shifted ones, test on shifted test images.
 *
 * <p>Files written to the output folder:
 *
 * <ul>
 *   <li>{@code pretrain-images-idx3-ubyte.gz}, {@code pretrain-labels-idx1-ubyte.gz}: the original
 *       training images except the last {@code trainCount}, for pretraining;
 *   <li>{@code t10k-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte.gz}: the original test
 *       set, copied, to measure the base model on its own domain;
 *   <li>{@code shifted-train-images-idx3-ubyte.gz}, {@code shifted-train-labels-idx1-ubyte.gz}: the
 *       last {@code trainCount} training images, shifted, with their labels;
 *   <li>{@code shifted-t10k-images-idx3-ubyte.gz}, {@code shifted-t10k-labels-idx1-ubyte.gz}: the
 *       first {@code testCount} test images, shifted, with their labels.
 * </ul>
 *
 * <p>The shifted training images are held out of the pretraining set, so no image reaches the
 * fine-tuned model twice, and the shifted test images were seen by no model. The same seed and
 * counts give the same pixels; each image's shift depends only on the seed and its index in the
 * original file.
 *
 * <pre>{@code
 * FashionMnistShift.Written files =
 *     FashionMnistShift.write(Path.of("/tmp/shifted"), 42, 2000, 10000);
 * p.ingest("finetune-data").idx(files.shiftedTrainImages().toString());
 * }</pre>
 *
 * <p><b>The examples' data folder.</b> {@link #prepare(Path)} writes what the {@code
 * fashion-pretrain} and {@code fashion-finetune} pipelines read by default into {@link
 * #defaultDirectory(Map)} ({@code $LIFECYCLE_HOME/data/fashion-mnist}, else {@code
 * ~/.lifecycle/data/fashion-mnist}): the files above with seed {@value #SEED}, {@value
 * #SHIFTED_TRAIN} shifted training and {@value #SHIFTED_TEST} shifted test images, plus the
 * labelled subsets {@code shifted-train-100-*}, {@code shifted-train-500-*} and {@code
 * shifted-train-2000-*} (the first 100, 500 and 2,000 shifted training images, so each subset holds
 * the smaller ones). The DSL has no sampling step, so a run picks its number of labels by ingesting
 * one of these files. From a shell:
 *
 * <pre>
 * java -cp examples/target/classes dev.lifecycle.examples.fashion.FashionMnistShift [dir]
 * </pre>
 */
public final class FashionMnistShift {
  /** {@link CameraShift#imageSeed} stream of training images. */
  public static final int TRAIN_STREAM = 0;

  /** {@link CameraShift#imageSeed} stream of test images. */
  public static final int TEST_STREAM = 1;

  /** The shift's seed in {@link #prepare(Path)}. */
  public static final long SEED = 42;

  /** Shifted training images {@link #prepare(Path)} holds out of the pretraining set. */
  public static final int SHIFTED_TRAIN = 2000;

  /** Shifted test images {@link #prepare(Path)} writes. */
  public static final int SHIFTED_TEST = 2000;

  /** The sizes of the labelled subsets {@link #prepare(Path)} writes. */
  public static final List<Integer> LABEL_SUBSETS = List.of(100, 500, 2000);

  /** The folder below {@code LIFECYCLE_HOME} that {@link #prepare(Path)} fills by default. */
  public static final String DATA_FOLDER = "data/fashion-mnist";

  private FashionMnistShift() {}

  /**
   * The images files written (each with its labels file beside it, by the IDX naming convention).
   */
  public record Written(
      Path pretrainImages, Path testImages, Path shiftedTrainImages, Path shiftedTestImages) {}

  /**
   * Where the examples' data lives: {@code LIFECYCLE_HOME/data/fashion-mnist} when {@code env} sets
   * {@code LIFECYCLE_HOME}, else {@code ~/.lifecycle/data/fashion-mnist}.
   */
  public static Path defaultDirectory(Map<String, String> env) {
    String home = env.get("LIFECYCLE_HOME");
    Path base =
        home != null && !home.isBlank()
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"), ".lifecycle");
    return base.resolve(DATA_FOLDER);
  }

  /** The images file of the labelled subset of {@code labels} shifted training images. */
  public static Path shiftedTrainSubset(Path dir, int labels) {
    return FashionMnist.images(dir, subsetName(labels));
  }

  private static String subsetName(int labels) {
    return "shifted-train-" + labels;
  }

  /**
   * Writes the examples' data set into {@code dir} from the Debian package's files (see the class
   * comment): {@link #write} with {@link #SEED}, {@link #SHIFTED_TRAIN} and {@link #SHIFTED_TEST},
   * then one labelled subset per {@link #LABEL_SUBSETS} size. The same files come out every time.
   */
  public static Written prepare(Path dir) throws IOException {
    Written written = write(dir, SEED, SHIFTED_TRAIN, SHIFTED_TEST);
    FashionMnist.Images shifted = FashionMnist.readImages(written.shiftedTrainImages());
    byte[] labels = FashionMnist.readLabels(FashionMnist.labels(dir, "shifted-train"));
    for (int size : LABEL_SUBSETS) {
      FashionMnist.writeImages(shiftedTrainSubset(dir, size), shifted.range(0, size));
      FashionMnist.writeLabels(
          FashionMnist.labels(dir, subsetName(size)), Arrays.copyOf(labels, size));
    }
    return written;
  }

  /**
   * Prepares the examples' data set: into the folder given as the only argument, else into {@link
   * #defaultDirectory(Map)}.
   */
  public static void main(String[] args) throws IOException {
    if (args.length > 1) {
      System.err.println("Usage: FashionMnistShift [output folder]");
      System.exit(2);
    }
    Path dir = args.length == 1 ? Path.of(args[0]) : defaultDirectory(System.getenv());
    long started = System.nanoTime();
    prepare(dir);
    System.out.printf(
        "Wrote the shifted Fashion-MNIST files to %s in %.1f s%n",
        dir.toAbsolutePath(), (System.nanoTime() - started) / 1e9);
  }

  /** {@link #write(Path, Path, long, int, int)} from the Debian package's files. */
  public static Written write(Path outDir, long seed, int trainCount, int testCount)
      throws IOException {
    return write(FashionMnist.DIRECTORY, outDir, seed, trainCount, testCount);
  }

  /**
   * Writes the files listed above from the Fashion-MNIST files in {@code sourceDir}.
   *
   * @param trainCount shifted training images, taken from the end of the training set: at least 1,
   *     and fewer than the training set holds (the rest are for pretraining)
   * @param testCount shifted test images, from the start of the test set: 1 to its size
   */
  public static Written write(Path sourceDir, Path outDir, long seed, int trainCount, int testCount)
      throws IOException {
    FashionMnist.Images train =
        FashionMnist.readImages(FashionMnist.images(sourceDir, FashionMnist.TRAIN));
    byte[] trainLabels =
        FashionMnist.readLabels(FashionMnist.labels(sourceDir, FashionMnist.TRAIN));
    Path testImagesSource = FashionMnist.images(sourceDir, FashionMnist.TEST);
    Path testLabelsSource = FashionMnist.labels(sourceDir, FashionMnist.TEST);
    FashionMnist.Images test = FashionMnist.readImages(testImagesSource);
    byte[] testLabels = FashionMnist.readLabels(testLabelsSource);
    if (trainCount < 1 || trainCount >= train.count()) {
      throw new IllegalArgumentException(
          "trainCount must be in [1, "
              + (train.count() - 1)
              + "] so that images remain for pretraining, got "
              + trainCount);
    }
    if (testCount < 1 || testCount > test.count()) {
      throw new IllegalArgumentException(
          "testCount must be in [1, " + test.count() + "], got " + testCount);
    }
    Files.createDirectories(outDir);
    int pretrain = train.count() - trainCount;

    Path pretrainImages = FashionMnist.images(outDir, "pretrain");
    FashionMnist.writeImages(pretrainImages, train.range(0, pretrain));
    FashionMnist.writeLabels(
        FashionMnist.labels(outDir, "pretrain"), Arrays.copyOf(trainLabels, pretrain));

    Path testImages = FashionMnist.images(outDir, FashionMnist.TEST);
    Files.copy(testImagesSource, testImages, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        testLabelsSource,
        FashionMnist.labels(outDir, FashionMnist.TEST),
        StandardCopyOption.REPLACE_EXISTING);

    Path shiftedTrain = FashionMnist.images(outDir, "shifted-train");
    FashionMnist.writeImages(
        shiftedTrain, shift(train, pretrain, train.count(), seed, TRAIN_STREAM));
    FashionMnist.writeLabels(
        FashionMnist.labels(outDir, "shifted-train"),
        Arrays.copyOfRange(trainLabels, pretrain, train.count()));

    Path shiftedTest = FashionMnist.images(outDir, "shifted-t10k");
    FashionMnist.writeImages(shiftedTest, shift(test, 0, testCount, seed, TEST_STREAM));
    FashionMnist.writeLabels(
        FashionMnist.labels(outDir, "shifted-t10k"), Arrays.copyOf(testLabels, testCount));

    return new Written(pretrainImages, testImages, shiftedTrain, shiftedTest);
  }

  /** Images {@code from} to {@code to} of {@code images}, each shifted with its own seed. */
  public static FashionMnist.Images shift(
      FashionMnist.Images images, int from, int to, long seed, int stream) {
    int size = images.height() * images.width();
    byte[] pixels = new byte[(to - from) * size];
    for (int i = from; i < to; i++) {
      byte[] shifted =
          CameraShift.DEFAULT.apply(
              images.image(i),
              images.height(),
              images.width(),
              CameraShift.imageSeed(seed, stream, i));
      System.arraycopy(shifted, 0, pixels, (i - from) * size, size);
    }
    return new FashionMnist.Images(to - from, images.height(), images.width(), pixels);
  }

  /**
   * Writes a PNG to look at the shift: the first {@code count} test images in the top row, the same
   * images shifted (as in the shifted test set of this seed) below, each pixel drawn {@code scale}
   * times larger.
   */
  public static void writePreview(Path sourceDir, Path png, long seed, int count, int scale)
      throws IOException {
    FashionMnist.Images test =
        FashionMnist.readImages(FashionMnist.images(sourceDir, FashionMnist.TEST));
    if (count < 1 || count > test.count() || scale < 1 || scale > 16) {
      throw new IllegalArgumentException(
          "A preview shows 1 to "
              + test.count()
              + " images at scale 1 to 16, got "
              + count
              + " at "
              + scale);
    }
    FashionMnist.Images shifted = shift(test, 0, count, seed, TEST_STREAM);
    int h = test.height();
    int w = test.width();
    int gap = scale * 2;
    BufferedImage grid =
        new BufferedImage(
            count * (w * scale + gap) + gap,
            2 * (h * scale + gap) + gap,
            BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = grid.getRaster();
    for (int y = 0; y < grid.getHeight(); y++) {
      for (int x = 0; x < grid.getWidth(); x++) {
        raster.setSample(x, y, 0, 128);
      }
    }
    for (int i = 0; i < count; i++) {
      draw(raster, test.image(i), h, w, gap + i * (w * scale + gap), gap, scale);
      draw(raster, shifted.image(i), h, w, gap + i * (w * scale + gap), 2 * gap + h * scale, scale);
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    if (!ImageIO.write(grid, "png", png.toFile())) {
      throw new IOException("No PNG writer in this Java runtime");
    }
  }

  private static void draw(
      WritableRaster raster, byte[] image, int h, int w, int left, int top, int scale) {
    for (int y = 0; y < h * scale; y++) {
      for (int x = 0; x < w * scale; x++) {
        raster.setSample(left + x, top + y, 0, image[(y / scale) * w + x / scale] & 0xff);
      }
    }
  }
}
