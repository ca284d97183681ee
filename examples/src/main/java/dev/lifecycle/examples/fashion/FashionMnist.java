package dev.lifecycle.examples.fashion;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Fashion-MNIST (Zalando, MIT licence) as the Debian package {@code dataset-fashion-mnist} installs
 * it: 60,000 training and 10,000 test images of 28×28 grey pixels in ten classes, as gzipped IDX
 * files. Reads and writes IDX image and label files; a file is gzipped when its name ends in {@code
 * .gz}.
 *
 * <pre>{@code
 * Path dir = FashionMnist.DIRECTORY;
 * FashionMnist.Images test = FashionMnist.readImages(FashionMnist.images(dir, FashionMnist.TEST));
 * byte[] labels = FashionMnist.readLabels(FashionMnist.labels(dir, FashionMnist.TEST));
 * }</pre>
 */
public final class FashionMnist {
  /** Where the Debian package installs the files. */
  public static final Path DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

  /** The training set's file prefix. */
  public static final String TRAIN = "train";

  /** The test set's file prefix. */
  public static final String TEST = "t10k";

  /** Class names by label index. */
  public static final List<String> CLASSES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** IDX magic number of unsigned-byte images (3 dimensions). */
  static final int IMAGES_MAGIC = 0x00000803;

  /** IDX magic number of unsigned-byte labels (1 dimension). */
  static final int LABELS_MAGIC = 0x00000801;

  private FashionMnist() {}

  /** The images file of {@code set} ({@link #TRAIN}, {@link #TEST}, ...) in {@code dir}. */
  public static Path images(Path dir, String set) {
    return dir.resolve(set + "-images-idx3-ubyte.gz");
  }

  /** The labels file of {@code set} in {@code dir}. */
  public static Path labels(Path dir, String set) {
    return dir.resolve(set + "-labels-idx1-ubyte.gz");
  }

  /** Images of one size, held in one array. */
  public static final class Images {
    private final int count;
    private final int height;
    private final int width;
    private final byte[] pixels;

    /**
     * Images from {@code pixels}: {@code count} images of {@code height × width} bytes, one after
     * another, row-major.
     */
    public Images(int count, int height, int width, byte[] pixels) {
      if (count < 0 || height <= 0 || width <= 0) {
        throw new IllegalArgumentException(
            "Images need a count ≥ 0 and a positive size, got "
                + count
                + " of "
                + height
                + "×"
                + width);
      }
      if (pixels.length != (long) count * height * width) {
        throw new IllegalArgumentException(
            count
                + " images of "
                + height
                + "×"
                + width
                + " need "
                + (long) count * height * width
                + " bytes, got "
                + pixels.length);
      }
      this.count = count;
      this.height = height;
      this.width = width;
      this.pixels = pixels.clone();
    }

    public int count() {
      return count;
    }

    public int height() {
      return height;
    }

    public int width() {
      return width;
    }

    /** A copy of image {@code i}'s pixels. */
    public byte[] image(int i) {
      Objects.checkIndex(i, count);
      int size = height * width;
      return Arrays.copyOfRange(pixels, i * size, (i + 1) * size);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive). */
    public Images range(int from, int to) {
      Objects.checkFromToIndex(from, to, count);
      int size = height * width;
      return new Images(
          to - from, height, width, Arrays.copyOfRange(pixels, from * size, to * size));
    }

    private byte[] pixels() {
      return pixels;
    }
  }

  /** Reads an IDX images file (unsigned bytes; count, rows, columns). */
  public static Images readImages(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      int[] dims = header(in, file, IMAGES_MAGIC, 3);
      byte[] pixels = new byte[Math.multiplyExact(dims[0], Math.multiplyExact(dims[1], dims[2]))];
      readFully(in, pixels, file);
      return new Images(dims[0], dims[1], dims[2], pixels);
    }
  }

  /** Reads an IDX labels file (unsigned bytes; count). */
  public static byte[] readLabels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      int[] dims = header(in, file, LABELS_MAGIC, 1);
      byte[] labels = new byte[dims[0]];
      readFully(in, labels, file);
      return labels;
    }
  }

  /** Writes an IDX images file; gzipped when the name ends in {@code .gz}. */
  public static void writeImages(Path file, Images images) throws IOException {
    try (DataOutputStream out = create(file)) {
      out.writeInt(IMAGES_MAGIC);
      out.writeInt(images.count());
      out.writeInt(images.height());
      out.writeInt(images.width());
      out.write(images.pixels());
    }
  }

  /** Writes an IDX labels file; gzipped when the name ends in {@code .gz}. */
  public static void writeLabels(Path file, byte[] labels) throws IOException {
    try (DataOutputStream out = create(file)) {
      out.writeInt(LABELS_MAGIC);
      out.writeInt(labels.length);
      out.write(labels);
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      if (file.getFileName().toString().endsWith(".gz")) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      return new DataInputStream(in);
    } catch (IOException e) {
      in.close();
      throw new IOException("'" + file + "' is not a gzip file: " + e.getMessage(), e);
    }
  }

  /**
   * A gzip stream writes a fixed header (no time stamp, no file name), so the same content gives
   * the same file bytes with the same zlib.
   */
  private static DataOutputStream create(Path file) throws IOException {
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    if (file.getFileName().toString().endsWith(".gz")) {
      out = new GZIPOutputStream(out, 1 << 16);
    }
    return new DataOutputStream(out);
  }

  private static int[] header(DataInputStream in, Path file, int magic, int rank)
      throws IOException {
    try {
      int found = in.readInt();
      if (found != magic) {
        throw new IOException(
            String.format(
                "'%s' has IDX magic number 0x%08x, expected 0x%08x (%s)",
                file, found, magic, rank == 3 ? "unsigned-byte images" : "unsigned-byte labels"));
      }
      int[] dims = new int[rank];
      for (int i = 0; i < rank; i++) {
        dims[i] = in.readInt();
        if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
          throw new IOException(
              "'" + file + "' declares dimension " + i + " of impossible size " + dims[i]);
        }
      }
      return dims;
    } catch (EOFException e) {
      throw new IOException("'" + file + "' is truncated inside its IDX header", e);
    }
  }

  private static void readFully(DataInputStream in, byte[] into, Path file) throws IOException {
    try {
      in.readFully(into);
    } catch (EOFException e) {
      throw new IOException(
          "'" + file + "' is truncated: its header declares " + into.length + " bytes of data", e);
    }
    if (in.read() != -1) {
      throw new IOException("'" + file + "' has bytes after the data its header declares");
    }
  }
}
