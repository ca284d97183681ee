package dev.lifecycle.examples.fashion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The data of the {@link FashionLabelPipeline fashion-label} example, cut from the Fashion-MNIST
 * test set, which the base model ({@code fashion-pretrain}, trained on the training set) never saw:
 * the first {@value #TEST_SIZE} images (labelled) score the trained model; the pool of unlabeled
 * images to label comes after them, written without a labels file so that ingest reads them
 * unlabeled, with their true labels apart in an answer key whose name does not pair with the images
 * (only simulated annotators and benchmarks read it).
 */
public final class FashionLabelPool {
  /** How many images the pool holds by default. */
  public static final int DEFAULT_SIZE = 1000;

  /** How many test images score the trained model. */
  public static final int TEST_SIZE = 5000;

  private FashionLabelPool() {}

  /** The pool's images in {@code dir}. */
  public static Path images(Path dir) {
    return FashionMnist.images(dir, "label-pool");
  }

  /** The pool's answer key in {@code dir}: one label index (0 to 9) per image. */
  public static Path answers(Path dir) {
    return dir.resolve("label-pool-answers-ubyte.gz");
  }

  /** The labelled test images in {@code dir}. */
  public static Path testImages(Path dir) {
    return FashionMnist.images(dir, "label-test");
  }

  /**
   * Writes into {@code dir} the test images and a pool of {@code count} images (at most {@code
   * 10,000 - TEST_SIZE}) from the Debian package's test set, with the pool's answer key.
   */
  public static Path write(Path dir, int count) throws IOException {
    return write(FashionMnist.DIRECTORY, dir, count);
  }

  /** {@link #write(Path, int)} from the Fashion-MNIST files in {@code sourceDir}. */
  public static Path write(Path sourceDir, Path dir, int count) throws IOException {
    FashionMnist.Images test =
        FashionMnist.readImages(FashionMnist.images(sourceDir, FashionMnist.TEST));
    byte[] labels = FashionMnist.readLabels(FashionMnist.labels(sourceDir, FashionMnist.TEST));
    if (count < 1 || TEST_SIZE + count > test.count()) {
      throw new IllegalArgumentException(
          "The pool takes 1 to " + (test.count() - TEST_SIZE) + " images, not " + count);
    }
    java.nio.file.Files.createDirectories(dir);
    FashionMnist.writeImages(testImages(dir), test.range(0, TEST_SIZE));
    FashionMnist.writeLabels(
        FashionMnist.labels(dir, "label-test"), Arrays.copyOf(labels, TEST_SIZE));
    FashionMnist.writeImages(images(dir), test.range(TEST_SIZE, TEST_SIZE + count));
    FashionMnist.writeLabels(
        answers(dir), Arrays.copyOfRange(labels, TEST_SIZE, TEST_SIZE + count));
    return images(dir);
  }
}
