package dev.lifecycle.examples.fashion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The unlabeled pool of the {@link FashionLabelPipeline fashion-label} example: the first {@code
 * count} shifted training images ({@link FashionMnistShift#prepare}) without their labels file, so
 * that ingest reads them unlabeled, and their true labels apart, in an answer key whose name does
 * not pair with the images (only simulated annotators and benchmarks read it).
 */
public final class FashionLabelPool {
  /** How many images the pool holds by default. */
  public static final int DEFAULT_SIZE = 1000;

  private FashionLabelPool() {}

  /** The pool's images in {@code dir}. */
  public static Path images(Path dir) {
    return FashionMnist.images(dir, "label-pool");
  }

  /** The pool's answer key in {@code dir}: one label index (0 to 9) per image. */
  public static Path answers(Path dir) {
    return dir.resolve("label-pool-answers-ubyte.gz");
  }

  /**
   * Writes the pool of the first {@code count} shifted training images of {@code dir} (written by
   * {@link FashionMnistShift#prepare}) and its answer key into {@code dir}.
   */
  public static Path write(Path dir, int count) throws IOException {
    FashionMnist.Images shifted =
        FashionMnist.readImages(FashionMnist.images(dir, "shifted-train"));
    byte[] labels = FashionMnist.readLabels(FashionMnist.labels(dir, "shifted-train"));
    if (count < 1 || count > shifted.count()) {
      throw new IllegalArgumentException(
          "The pool takes 1 to " + shifted.count() + " shifted images, not " + count);
    }
    FashionMnist.writeImages(images(dir), shifted.range(0, count));
    FashionMnist.writeLabels(answers(dir), Arrays.copyOf(labels, count));
    return images(dir);
  }
}
