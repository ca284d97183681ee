package dev.lifecycle.activities.data;

import static dev.lifecycle.activities.data.DataActivitiesImpl.invalidData;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams the items of an IDX file, the format of MNIST and Fashion-MNIST: a magic number (two zero
 * bytes, a type code, the number of dimensions), each dimension as a big-endian 32-bit integer,
 * then the items row-major. Gzip is recognised by its content, not by the file's name.
 *
 * <p>Only unsigned-byte IDX files (type {@code 0x08}) are read: images with three dimensions
 * (count, rows, columns) and labels with one. Whatever the file's flaw (wrong magic, a header that
 * does not fit, missing or extra bytes, broken gzip), the error is a non-retryable {@code
 * INVALID_DATA} failure naming the file. The sha256 of the file's bytes as read (compressed, if it
 * is gzip) is computed on the way, so that lineage records exactly what was ingested.
 */
final class IdxReader implements Closeable {
  /** IDX type code of unsigned bytes, the only one images and labels use. */
  static final int UNSIGNED_BYTE = 0x08;

  /** Magic number of an images file: unsigned bytes, 3 dimensions. */
  static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of a labels file: unsigned bytes, 1 dimension. */
  static final int LABELS_MAGIC = 0x00000801;

  /**
   * Largest image this reader accepts, in pixels: a header with more is far likelier to be damage
   * than a real image, and would make the reader allocate that much.
   */
  static final long MAX_PIXELS = 1L << 26;

  private final String name;
  private final DigestInputStream raw;
  private final DataInputStream in;
  private final int count;
  private final int[] itemShape;
  private final int itemSize;
  private int read;

  private IdxReader(String name, DigestInputStream raw, DataInputStream in, int[] dims) {
    this.name = name;
    this.raw = raw;
    this.in = in;
    this.count = dims[0];
    this.itemShape = Arrays.copyOfRange(dims, 1, dims.length);
    long size = 1;
    for (int d : itemShape) {
      size *= d;
    }
    this.itemSize = (int) size;
  }

  /**
   * Opens an images file: 3 dimensions (count, rows, columns) of unsigned bytes.
   *
   * @param name how messages name the file, e.g. its path or URI
   */
  static IdxReader images(InputStream source, String name) throws IOException {
    return open(source, name, 3, "an images file (count, rows, columns)");
  }

  /** Opens a labels file: 1 dimension (count) of unsigned bytes. */
  static IdxReader labels(InputStream source, String name) throws IOException {
    return open(source, name, 1, "a labels file (count)");
  }

  private static IdxReader open(InputStream source, String name, int dimensions, String kind)
      throws IOException {
    DigestInputStream raw = new DigestInputStream(source, sha256());
    DataInputStream in = new DataInputStream(decompressed(raw, name));
    try {
      int magic = header(in, name, "the 4-byte magic number that starts an IDX file");
      if ((magic >>> 16) != 0) {
        throw invalidData(
            "'"
                + name
                + "' is not an IDX file: it starts with "
                + hex(magic)
                + ", where an IDX file starts with two zero bytes, a type code and the number of"
                + " dimensions (e.g. "
                + hex(dimensions == 3 ? IMAGES_MAGIC : LABELS_MAGIC)
                + ")");
      }
      int type = (magic >>> 8) & 0xff;
      int rank = magic & 0xff;
      if (type != UNSIGNED_BYTE) {
        throw invalidData(
            "'"
                + name
                + "' has IDX magic number "
                + hex(magic)
                + ": its values are of type 0x"
                + String.format("%02x", type)
                + ", but images and labels must be unsigned bytes (type 0x08)");
      }
      if (rank != dimensions) {
        throw invalidData(
            "'"
                + name
                + "' has IDX magic number "
                + hex(magic)
                + " ("
                + rank
                + (rank == 1 ? " dimension" : " dimensions")
                + "), but "
                + kind
                + " has "
                + dimensions
                + " (magic number "
                + hex(dimensions == 3 ? IMAGES_MAGIC : LABELS_MAGIC)
                + ")"
                + (rank == 1 && dimensions == 3
                    ? ": is it a labels file?"
                    : rank == 3 && dimensions == 1 ? ": is it an images file?" : ""));
      }
      int[] dims = new int[rank];
      for (int i = 0; i < rank; i++) {
        dims[i] = header(in, name, "its " + (4 + 4 * rank) + "-byte IDX header");
        if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
          throw invalidData(
              "'"
                  + name
                  + "' declares dimension "
                  + i
                  + " of size "
                  + Integer.toUnsignedString(dims[i])
                  + (i == 0
                      ? ": more items than one dataset holds"
                      : ": images need rows and columns"));
        }
      }
      if (rank == 3 && (long) dims[1] * dims[2] > MAX_PIXELS) {
        throw invalidData(
            "'"
                + name
                + "' declares images of "
                + dims[1]
                + "×"
                + dims[2]
                + " pixels, more than the "
                + MAX_PIXELS
                + " this reader accepts: the header is likely damaged");
      }
      return new IdxReader(name, raw, in, dims);
    } catch (RuntimeException | IOException e) {
      in.close();
      throw e;
    }
  }

  /** Decompresses gzip (recognised by its magic bytes 1f 8b), else passes the bytes through. */
  private static InputStream decompressed(InputStream raw, String name) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    if (b0 != 0x1f || b1 != 0x8b) {
      return buffered;
    }
    try {
      return new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
    } catch (EOFException e) {
      throw invalidData("'" + name + "' is truncated: it ends inside its gzip header");
    } catch (ZipException e) {
      throw invalidData("'" + name + "' is not valid gzip: " + e.getMessage());
    }
  }

  private static int header(DataInputStream in, String name, String part) throws IOException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw invalidData("'" + name + "' is truncated: it ends inside " + part);
    } catch (ZipException e) {
      throw broken(name, e);
    }
  }

  /** Number of items the header declares. */
  int count() {
    return count;
  }

  /** Bytes per item: rows × columns for images, 1 for labels. */
  int itemSize() {
    return itemSize;
  }

  /** Rows of each image (images files only). */
  int rows() {
    return itemShape[0];
  }

  /** Columns of each image (images files only). */
  int columns() {
    return itemShape[1];
  }

  /** Whether {@link #next} has items left. */
  boolean hasNext() {
    return read < count;
  }

  /**
   * Reads the next item into {@code buffer} (of at least {@link #itemSize()} bytes).
   *
   * @throws io.temporal.failure.ApplicationFailure {@code INVALID_DATA} when the file ends early
   */
  void next(byte[] buffer) throws IOException {
    if (read >= count) {
      throw new IllegalStateException("'" + name + "' has no item after item " + (count - 1));
    }
    try {
      in.readFully(buffer, 0, itemSize);
    } catch (EOFException e) {
      throw invalidData(
          "'"
              + name
              + "' is truncated: its header declares "
              + count
              + (itemShape.length == 2
                  ? " images of " + itemShape[0] + "×" + itemShape[1]
                  : " labels")
              + ", but the data ends after "
              + read
              + " of them");
    } catch (ZipException e) {
      throw broken(name, e);
    }
    read++;
  }

  /** Reads the next label (labels files only). */
  int nextLabel() throws IOException {
    byte[] one = new byte[1];
    next(one);
    return one[0] & 0xff;
  }

  /**
   * Checks that nothing follows the last item, reads the rest of the file, and returns the sha256
   * of all its bytes. Extra bytes mean the header does not describe the data, so they are an error.
   */
  String finish() throws IOException {
    if (read < count) {
      throw new IllegalStateException("'" + name + "' finished after " + read + " of " + count);
    }
    try {
      long extra = 0;
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        extra += n;
      }
      if (extra > 0) {
        throw invalidData(
            "'"
                + name
                + "' has "
                + extra
                + " bytes after the last of the "
                + count
                + " items its header declares: the header does not describe the data");
      }
    } catch (EOFException e) {
      throw invalidData("'" + name + "' is truncated: its gzip stream ends early");
    } catch (ZipException e) {
      throw broken(name, e);
    }
    // Gzip may leave bytes of the raw file unread (padding after the last member); reading them is
    // what feeds them to the digest.
    raw.transferTo(OutputStream.nullOutputStream());
    return HexFormat.of().formatHex(raw.getMessageDigest().digest());
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private static RuntimeException broken(String name, ZipException e) {
    return invalidData("'" + name + "' is not valid gzip: " + e.getMessage());
  }

  private static String hex(int value) {
    return String.format("0x%08x", value);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }
}
