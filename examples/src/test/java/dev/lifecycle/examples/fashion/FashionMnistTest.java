package dev.lifecycle.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.PipelinePlan;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
  @TempDir Path dir;

  @Test
  void readsTheDebianTestSet() throws IOException {
    FashionMnist.Images images =
        FashionMnist.readImages(FashionMnist.images(FashionMnist.DIRECTORY, FashionMnist.TEST));
    byte[] labels =
        FashionMnist.readLabels(FashionMnist.labels(FashionMnist.DIRECTORY, FashionMnist.TEST));

    assertEquals(10000, images.count());
    assertEquals(28, images.height());
    assertEquals(28, images.width());
    assertEquals(10000, labels.length);
    assertArrayEquals(
        new byte[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, java.util.Arrays.copyOf(labels, 10));
    assertEquals("Ankle boot", FashionMnist.CLASSES.get(labels[0]));
    byte[] raw = gunzip(FashionMnist.images(FashionMnist.DIRECTORY, FashionMnist.TEST));
    assertArrayEquals(
        java.util.Arrays.copyOfRange(raw, 16 + 784 * 9999, 16 + 784 * 10000), images.image(9999));
  }

  @Test
  void writesIdxItReadsBackGzippedOrNot() throws IOException {
    byte[] pixels = new byte[3 * 2 * 5];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    FashionMnist.Images images = new FashionMnist.Images(3, 2, 5, pixels);
    byte[] labels = {4, 0, 9};
    for (String suffix : new String[] {"", ".gz"}) {
      Path imagesFile = dir.resolve("x-images-idx3-ubyte" + suffix);
      Path labelsFile = dir.resolve("x-labels-idx1-ubyte" + suffix);
      FashionMnist.writeImages(imagesFile, images);
      FashionMnist.writeLabels(labelsFile, labels);
      FashionMnist.Images back = FashionMnist.readImages(imagesFile);
      assertEquals(3, back.count());
      assertEquals(2, back.height());
      assertEquals(5, back.width());
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(images.image(i), back.image(i));
      }
      assertArrayEquals(labels, FashionMnist.readLabels(labelsFile));
    }
    byte[] plain = Files.readAllBytes(dir.resolve("x-images-idx3-ubyte"));
    assertEquals(16 + 30, plain.length);
    assertEquals(0x00000803, java.nio.ByteBuffer.wrap(plain).getInt());
    assertArrayEquals(plain, gunzip(dir.resolve("x-images-idx3-ubyte.gz")));
  }

  @Test
  void rejectsALabelsFileReadAsImages() throws IOException {
    Path labels = dir.resolve("l-labels-idx1-ubyte");
    FashionMnist.writeLabels(labels, new byte[] {1});
    IOException e = assertThrows(IOException.class, () -> FashionMnist.readImages(labels));
    assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
    assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
  }

  @Test
  void pipelinesIngestIdxFilesAndImageFolders() {
    Pipeline p = Pipeline.named("fashion-ingest");
    p.ingest("fashion")
        .idx(FashionMnist.images(FashionMnist.DIRECTORY, FashionMnist.TRAIN).toString());
    p.ingest("photos").images("/data/photos");
    PipelinePlan plan = p.compile();
    assertEquals("idx", ((Ingest) plan.step("fashion").orElseThrow()).format());
    assertEquals("images", ((Ingest) plan.step("photos").orElseThrow()).format());
  }

  private static byte[] gunzip(Path file) throws IOException {
    try (InputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
      return in.readAllBytes();
    }
  }
}
