package dev.lifecycle.activities.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class IdxReaderTest {

  @Test
  void readsImagesAndHashesTheBytesAsStored() throws Exception {
    byte[] pixels = new byte[3 * 2 * 4];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 11);
    }
    byte[] plain = idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 4}, pixels);
    byte[] gzip = gzip(plain);

    for (byte[] file : new byte[][] {plain, gzip}) {
      try (IdxReader reader = IdxReader.images(new ByteArrayInputStream(file), "x")) {
        assertEquals(3, reader.count());
        assertEquals(2, reader.rows());
        assertEquals(4, reader.columns());
        assertEquals(8, reader.itemSize());
        byte[] image = new byte[8];
        for (int i = 0; i < 3; i++) {
          assertTrue(reader.hasNext());
          reader.next(image);
          assertArrayEquals(Arrays.copyOfRange(pixels, 8 * i, 8 * i + 8), image, "image " + i);
        }
        assertFalse(reader.hasNext());
        assertEquals(sha256(file), reader.finish());
      }
    }
  }

  @Test
  void readsLabels() throws Exception {
    byte[] file = idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {9, 0, (byte) 200});
    try (IdxReader reader = IdxReader.labels(new ByteArrayInputStream(gzip(file)), "l")) {
      assertEquals(3, reader.count());
      assertEquals(9, reader.nextLabel());
      assertEquals(0, reader.nextLabel());
      assertEquals(200, reader.nextLabel());
      reader.finish();
    }
  }

  @Test
  void rejectsAFileThatIsNotIdx() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0};
    assertInvalid(
        () -> images(png, "photo.png"), "'photo.png'", "is not an IDX file", "0x89504e47");
  }

  @Test
  void rejectsALabelsFileGivenAsImagesAndTheReverse() {
    byte[] labels = idx(IdxReader.LABELS_MAGIC, new int[] {1}, new byte[] {1});
    byte[] images = idx(IdxReader.IMAGES_MAGIC, new int[] {1, 1, 1}, new byte[] {1});
    assertInvalid(() -> images(labels, "l.idx"), "'l.idx'", "0x00000801", "is it a labels file?");
    assertInvalid(
        () -> IdxReader.labels(new ByteArrayInputStream(images), "i.idx"),
        "'i.idx'",
        "0x00000803",
        "is it an images file?");
  }

  @Test
  void rejectsValuesOtherThanUnsignedBytes() {
    byte[] floats = idx(0x00000d03, new int[] {1, 1, 1}, new byte[4]);
    assertInvalid(() -> images(floats, "f.idx"), "'f.idx'", "type 0x0d", "unsigned bytes");
  }

  @Test
  void rejectsATruncatedHeader() {
    byte[] full = idx(IdxReader.IMAGES_MAGIC, new int[] {1, 2, 2}, new byte[4]);
    assertInvalid(
        () -> images(Arrays.copyOf(full, 2), "h.idx"), "'h.idx'", "truncated", "magic number");
    assertInvalid(() -> images(Arrays.copyOf(full, 10), "h.idx"), "'h.idx'", "16-byte IDX header");
  }

  @Test
  void rejectsTruncatedData() throws Exception {
    byte[] full = idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 2}, new byte[12]);
    byte[] cut = Arrays.copyOf(full, full.length - 5);
    for (byte[] file : new byte[][] {cut, gzip(cut)}) {
      ApplicationFailure failure =
          assertInvalid(() -> readAll(file, "t.idx"), "'t.idx'", "truncated", "3 images of 2×2");
      assertTrue(failure.getOriginalMessage().contains("after 1 of them"), failure.getMessage());
    }
  }

  @Test
  void rejectsAGzipStreamCutShort() throws Exception {
    byte[] full = idx(IdxReader.IMAGES_MAGIC, new int[] {50, 8, 8}, new byte[50 * 64]);
    byte[] gzip = gzip(full);
    byte[] cut = Arrays.copyOf(gzip, gzip.length - 6);
    assertInvalid(() -> readAll(cut, "c.gz"), "'c.gz'", "truncated");
    assertInvalid(() -> readAll(Arrays.copyOf(gzip, 5), "c.gz"), "'c.gz'", "gzip header");
  }

  @Test
  void rejectsBrokenGzip() throws Exception {
    byte[] gzip = gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {2, 4, 4}, new byte[32]));
    gzip[2] = 7; // compression method: only 8 (deflate) exists
    assertInvalid(() -> readAll(gzip, "b.gz"), "'b.gz'", "not valid gzip");
  }

  @Test
  void rejectsBytesAfterTheLastItem() {
    byte[] full = idx(IdxReader.IMAGES_MAGIC, new int[] {2, 2, 2}, new byte[10]);
    assertInvalid(() -> readAll(full, "e.idx"), "'e.idx'", "2 bytes after the last of the 2");
  }

  @Test
  void rejectsImpossibleDimensions() {
    byte[] noColumns = idx(IdxReader.IMAGES_MAGIC, new int[] {1, 2, 0}, new byte[0]);
    assertInvalid(() -> images(noColumns, "z.idx"), "'z.idx'", "dimension 2 of size 0");
    byte[] huge = idx(IdxReader.IMAGES_MAGIC, new int[] {1, 1 << 14, 1 << 14}, new byte[0]);
    assertInvalid(() -> images(huge, "g.idx"), "'g.idx'", "16384×16384", "damaged");
    byte[] negative = idx(IdxReader.IMAGES_MAGIC, new int[] {-1, 2, 2}, new byte[0]);
    assertInvalid(() -> images(negative, "n.idx"), "'n.idx'", "4294967295");
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** An IDX file: magic number, dimensions big-endian, then {@code data} as is. */
  static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static IdxReader images(byte[] file, String name) throws IOException {
    return IdxReader.images(new ByteArrayInputStream(file), name);
  }

  private static void readAll(byte[] file, String name) throws IOException {
    try (IdxReader reader = images(file, name)) {
      byte[] image = new byte[reader.itemSize()];
      while (reader.hasNext()) {
        reader.next(image);
      }
      reader.finish();
    }
  }

  private static ApplicationFailure assertInvalid(Executable call, String... mentions) {
    ApplicationFailure failure = assertThrows(ApplicationFailure.class, call);
    assertEquals(FailureTypes.INVALID_DATA, failure.getType(), failure.getOriginalMessage());
    assertTrue(failure.isNonRetryable());
    for (String mention : mentions) {
      assertTrue(
          failure.getOriginalMessage().contains(mention),
          "expected '" + mention + "' in: " + failure.getOriginalMessage());
    }
    return failure;
  }
}
