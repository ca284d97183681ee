package dev.lifecycle.activities.data;

import static dev.lifecycle.activities.data.IdxReaderTest.gzip;
import static dev.lifecycle.activities.data.IdxReaderTest.idx;
import static dev.lifecycle.activities.data.IdxReaderTest.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.activities.store.DatasetColumn;
import dev.lifecycle.activities.store.DatasetVersion;
import dev.lifecycle.activities.store.LineageEdge;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.failure.ApplicationFailure;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ImageIngestTest {
  /** Installed by the Debian package {@code dataset-fashion-mnist} (CI installs it too). */
  private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  private static final List<DatasetColumn> IDX_COLUMNS =
      List.of(
          new DatasetColumn("source_index", "BIGINT"),
          new DatasetColumn("label", "BIGINT"),
          new DatasetColumn("height", "INTEGER"),
          new DatasetColumn("width", "INTEGER"),
          new DatasetColumn("channels", "INTEGER"),
          new DatasetColumn("image", "BLOB"));

  @TempDir Path home;
  private LocalArtifactStore artifacts;
  private MetadataStore metadata;
  private DataActivitiesImpl data;

  @BeforeEach
  void open() {
    LifecycleSettings settings = LifecycleSettings.of(home, null, null, null);
    artifacts = new LocalArtifactStore(settings.artifacts());
    metadata = MetadataStore.open(settings);
    data = new DataActivitiesImpl(artifacts, metadata);
  }

  @AfterEach
  void close() {
    metadata.close();
  }

  // ---- IDX --------------------------------------------------------------------------------------

  @Test
  void ingestsTheFashionMnistTestSet() throws Exception {
    Path images = FASHION.resolve("t10k-images-idx3-ubyte.gz");
    Path labels = FASHION.resolve("t10k-labels-idx1-ubyte.gz");

    StepResult result = ingest("run-1", images.toString(), "idx");

    assertEquals(10000L, result.values().get("rows"));
    assertEquals(10, result.values().get("classes"));
    assertTrue(result.summary().startsWith("10000 images 28×28, 10 classes; "), result.summary());
    ArtifactRef dataset = result.artifacts().get("dataset");
    DatasetVersion version = metadata.datasets().latest("images/ingest").orElseThrow();
    assertEquals(dataset.sha256(), version.sha256());
    assertEquals(10000, version.rows());
    assertEquals(IDX_COLUMNS, version.columns());

    byte[] rawImages = gunzip(images);
    byte[] rawLabels = gunzip(labels);
    List<Map<String, Object>> rows = read(artifacts.resolve(dataset), "");
    assertEquals(10000, rows.size());
    // Known start of the t10k labels (ankle boot, pullover, trouser, trouser, shirt, ...), read
    // here from the file itself as well.
    long[] start = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7};
    for (int i = 0; i < start.length; i++) {
      assertEquals(start[i], rawLabels[8 + i] & 0xff);
      assertEquals(start[i], rows.get(i).get("label"), "label " + i);
    }
    for (int i : new int[] {0, 1, 4321, 9999}) {
      Map<String, Object> row = rows.get(i);
      assertEquals((long) i, row.get("source_index"));
      assertEquals((long) (rawLabels[8 + i] & 0xff), row.get("label"));
      assertEquals(28, row.get("height"));
      assertEquals(28, row.get("width"));
      assertEquals(1, row.get("channels"));
      byte[] expected = Arrays.copyOfRange(rawImages, 16 + 784 * i, 16 + 784 * (i + 1));
      assertArrayEquals(expected, (byte[]) row.get("image"), "image " + i);
    }

    List<LineageEdge> edges = metadata.lineage().upstream(dataset.sha256());
    assertEquals(2, edges.size());
    assertEquals(images.toUri().toString(), edges.get(0).toUri());
    assertEquals(sha256(Files.readAllBytes(images)), edges.get(0).toSha256());
    assertEquals(labels.toUri().toString(), edges.get(1).toUri());
    assertEquals(sha256(Files.readAllBytes(labels)), edges.get(1).toSha256());
  }

  @Test
  void sameIdxBytesGiveTheSameDataset() throws Exception {
    Path images = idxPair(home.resolve("a"), "train", 5, 3, 2, ".gz", ".gz");
    Path copy = idxPair(home.resolve("b"), "train", 5, 3, 2, "", "");

    ArtifactRef first = ingest("run-1", images.toString(), "idx").artifacts().get("dataset");
    ArtifactRef retry = ingest("run-1", images.toString(), "auto").artifacts().get("dataset");
    ArtifactRef uncompressed =
        ingest("run-2", copy.toUri().toString(), "idx").artifacts().get("dataset");

    assertEquals(first, retry);
    assertEquals(first, uncompressed);
    assertEquals(1, metadata.datasets().list("images/ingest").size());
    List<Map<String, Object>> rows = read(artifacts.resolve(first), "");
    assertEquals(List.of(0L, 1L, 2L, 0L, 1L), rows.stream().map(r -> r.get("label")).toList());
    assertArrayEquals(pixels(4, 3, 2), (byte[]) rows.get(4).get("image"));
  }

  @Test
  void findsTheLabelsFileWithOrWithoutGzip() throws Exception {
    Path images = idxPair(home, "t10k", 4, 2, 2, ".gz", "");

    StepResult result = ingest("r", images.toString(), "idx");

    assertEquals(3, result.values().get("classes"));
    assertTrue(result.summary().startsWith("4 images 2×2, 3 classes; "), result.summary());
  }

  @Test
  void ingestsImagesWithoutALabelsFileUnlabeled() throws Exception {
    Path images = idxPair(home, "new", 3, 2, 2, ".gz", ".gz");
    Files.delete(home.resolve("new-labels-idx1-ubyte.gz"));

    StepResult result = ingest("r", images.toString(), "idx");

    assertEquals(3L, result.values().get("rows"));
    assertFalse(result.values().containsKey("classes"));
    assertTrue(
        result.summary().contains("unlabeled (no labels file 'new-labels-idx1-ubyte.gz'"),
        result.summary());
    List<Map<String, Object>> rows = read(artifacts.resolve(result.artifacts().get("dataset")), "");
    assertEquals(
        List.of("source_index", "height", "width", "channels", "image"),
        new ArrayList<>(rows.get(0).keySet()));
  }

  @Test
  void readsIdxFromTheClasspath() throws Exception {
    Path dir = home.resolve("cp/digits");
    idxPair(dir, "mini", 3, 2, 2, ".gz", ".gz");
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {home.resolve("cp").toUri().toURL()}, previous)) {
      Thread.currentThread().setContextClassLoader(loader);
      StepResult result = ingest("r", "classpath:digits/mini-images-idx3-ubyte.gz", "auto");
      assertTrue(result.summary().startsWith("3 images 2×2, 3 classes; "), result.summary());
      ArtifactRef dataset = result.artifacts().get("dataset");
      assertEquals(
          List.of(
              "classpath:digits/mini-images-idx3-ubyte.gz",
              "classpath:digits/mini-labels-idx1-ubyte.gz"),
          metadata.lineage().upstream(dataset.sha256()).stream().map(LineageEdge::toUri).toList());
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  @Test
  void rejectsImagesAndLabelsOfDifferentCounts() throws Exception {
    Path images = idxPair(home, "train", 3, 2, 2, "", "");
    Files.write(
        home.resolve("train-labels-idx1-ubyte"),
        idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2}));

    assertInvalidData(
        () -> ingest("r", images.toString(), "idx"),
        "train-images-idx3-ubyte' holds 3 images",
        "train-labels-idx1-ubyte' holds 2 labels");
  }

  @Test
  void namesTheFileOfEveryIdxError() throws Exception {
    Path images = idxPair(home, "bad", 3, 2, 2, "", "");
    Path labels = home.resolve("bad-labels-idx1-ubyte");
    Files.write(labels, idx(IdxReader.IMAGES_MAGIC, new int[] {3, 1, 1}, new byte[3]));
    assertInvalidData(
        () -> ingest("r", images.toString(), "idx"), labels.toString(), "is it an images file?");

    Files.write(labels, idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {1}));
    assertInvalidData(() -> ingest("r", images.toString(), "idx"), labels.toString(), "truncated");

    Files.write(images, new byte[] {'P', 'K', 3, 4, 0, 0});
    assertInvalidData(
        () -> ingest("r", images.toString(), "idx"), images.toString(), "not an IDX file");

    Files.write(images, idx(IdxReader.IMAGES_MAGIC, new int[] {0, 2, 2}, new byte[0]));
    assertInvalidData(() -> ingest("r", images.toString(), "idx"), "declares 0 images");

    assertInvalidData(
        () -> ingest("r", home.resolve("nope-images-idx3-ubyte").toString(), "idx"),
        "nope-images-idx3-ubyte",
        "does not exist");
    assertInvalidData(() -> ingest("r", home.toString(), "idx"), "is not a file");
  }

  // ---- folders ----------------------------------------------------------------------------------

  @Test
  void ingestsClassFoldersInSortedOrder() throws Exception {
    Path root = home.resolve("pets");
    writeGrey(root.resolve("dog/b.png"), 3, 2, 10);
    writeGrey(root.resolve("dog/a.png"), 3, 2, 20);
    writeGrey(root.resolve("dog/puppies/c.png"), 3, 2, 30);
    writeGrey(root.resolve("cat/z.png"), 3, 2, 40);
    Files.writeString(root.resolve("cat/notes.txt"), "not an image");
    Files.writeString(root.resolve(".DS_Store"), "hidden");

    StepResult result = ingest("r", root.toString(), "images");

    assertEquals(4L, result.values().get("rows"));
    assertEquals(2, result.values().get("classes"));
    assertEquals(List.of("cat", "dog"), result.values().get("classNames"));
    assertEquals(1, result.values().get("channels"));
    assertTrue(
        result
            .summary()
            .startsWith(
                "4 images 2×3 greyscale, 2 classes (cat, dog); skipped 1 file not ending in"
                    + " .png, .jpg or .jpeg; images/ingest v1"),
        result.summary());
    ArtifactRef dataset = result.artifacts().get("dataset");
    assertEquals(
        List.of(
            new DatasetColumn("source_index", "BIGINT"),
            new DatasetColumn("file", "VARCHAR"),
            new DatasetColumn("label", "BIGINT"),
            new DatasetColumn("label_name", "VARCHAR"),
            new DatasetColumn("height", "INTEGER"),
            new DatasetColumn("width", "INTEGER"),
            new DatasetColumn("channels", "INTEGER"),
            new DatasetColumn("image", "BLOB")),
        metadata.datasets().latest("images/ingest").orElseThrow().columns());
    List<Map<String, Object>> rows = read(artifacts.resolve(dataset), "");
    assertEquals(
        List.of("cat/z.png", "dog/a.png", "dog/b.png", "dog/puppies/c.png"),
        rows.stream().map(r -> r.get("file")).toList());
    assertEquals(List.of(0L, 1L, 1L, 1L), rows.stream().map(r -> r.get("label")).toList());
    assertEquals(
        List.of("cat", "dog", "dog", "dog"), rows.stream().map(r -> r.get("label_name")).toList());
    assertEquals(List.of(0L, 1L, 2L, 3L), rows.stream().map(r -> r.get("source_index")).toList());
    assertEquals(2, rows.get(0).get("height"));
    assertEquals(3, rows.get(0).get("width"));
    assertArrayEquals(greyPixels(3, 2, 20), (byte[]) rows.get(1).get("image"));
    assertArrayEquals(greyPixels(3, 2, 40), (byte[]) rows.get(0).get("image"));
  }

  @Test
  void keepsColourAsInterleavedRgb() throws Exception {
    Path root = home.resolve("colour");
    writeGrey(root.resolve("a/grey.png"), 2, 2, 0);
    BufferedImage rgb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    int[] colours = {0xff0000, 0x00ff00, 0x0000ff, 0x102030};
    for (int i = 0; i < 4; i++) {
      rgb.setRGB(i % 2, i / 2, colours[i]);
    }
    write(rgb, "png", root.resolve("b/rgb.png"));

    StepResult result = ingest("r", root.toString(), "images");

    assertEquals(3, result.values().get("channels"));
    assertTrue(result.summary().startsWith("2 images 2×2 RGB, 2 classes (a, b)"));
    List<Map<String, Object>> rows = read(artifacts.resolve(result.artifacts().get("dataset")), "");
    byte[] grey = greyPixels(2, 2, 0);
    byte[] greyAsRgb = new byte[12];
    for (int i = 0; i < 12; i++) {
      greyAsRgb[i] = grey[i / 3];
    }
    assertArrayEquals(greyAsRgb, (byte[]) rows.get(0).get("image"));
    assertArrayEquals(
        new byte[] {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, 0x10, 0x20, 0x30},
        (byte[]) rows.get(1).get("image"));
    assertEquals(3, rows.get(1).get("channels"));
  }

  @Test
  void readsJpegAndSixteenBitGreyPng() throws Exception {
    Path root = home.resolve("flat");
    BufferedImage deep = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    deep.getRaster().setSample(0, 0, 0, 65535);
    deep.getRaster().setSample(1, 0, 0, 32896); // 128.5 × 256: rounds to 128
    write(deep, "png", root.resolve("1.png"));
    BufferedImage jpeg = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    jpeg.getRaster().setSample(0, 0, 0, 200);
    jpeg.getRaster().setSample(1, 0, 0, 200);
    write(jpeg, "jpeg", root.resolve("2.JPG"));

    StepResult result = ingest("r", root.toString(), "images");

    assertTrue(
        result.summary().startsWith("2 images 1×2 greyscale, unlabeled (no class sub-folders);"),
        result.summary());
    List<Map<String, Object>> rows = read(artifacts.resolve(result.artifacts().get("dataset")), "");
    assertEquals(
        List.of("source_index", "file", "height", "width", "channels", "image"),
        new ArrayList<>(rows.get(0).keySet()));
    assertArrayEquals(new byte[] {(byte) 255, (byte) 128}, (byte[]) rows.get(0).get("image"));
    byte[] decoded = (byte[]) rows.get(1).get("image");
    // JPEG is lossy, but a flat grey survives within a level or two.
    assertTrue(Math.abs((decoded[0] & 0xff) - 200) <= 2, Arrays.toString(decoded));
    assertEquals(decoded[0], decoded[1]);
  }

  @Test
  void sameFolderGivesTheSameDatasetAndNewContentANewVersion() throws Exception {
    Path root = home.resolve("same");
    writeGrey(root.resolve("x/1.png"), 4, 4, 1);
    writeGrey(root.resolve("y/2.png"), 4, 4, 2);

    ArtifactRef first = ingest("run-1", root.toString(), "images").artifacts().get("dataset");
    ArtifactRef again = ingest("run-2", root.toString(), "images").artifacts().get("dataset");
    writeGrey(root.resolve("y/2.png"), 4, 4, 3);
    ArtifactRef changed = ingest("run-3", root.toString(), "images").artifacts().get("dataset");

    assertEquals(first, again);
    assertNotEquals(first.sha256(), changed.sha256());
    assertEquals(2, metadata.datasets().list("images/ingest").size());
    LineageEdge edge = metadata.lineage().upstream(first.sha256()).get(0);
    assertEquals(root.toUri().toString(), edge.toUri());
    assertNotEquals(
        edge.toSha256(), metadata.lineage().upstream(changed.sha256()).get(0).toSha256());
  }

  @Test
  void rejectsImagesOfDifferentSizesNamingTheFirstThatDiffers() throws Exception {
    Path root = home.resolve("sizes");
    writeGrey(root.resolve("a/1.png"), 4, 4, 0);
    writeGrey(root.resolve("a/2.png"), 4, 4, 0);
    writeGrey(root.resolve("b/3.png"), 5, 4, 0);
    writeGrey(root.resolve("b/4.png"), 6, 4, 0);

    assertInvalidData(
        () -> ingest("r", root.toString(), "images"),
        "'b/3.png' is 5×4",
        "'a/1.png'",
        "4×4",
        "resizing");
  }

  @Test
  void rejectsFoldersItCannotLabelOrRead() throws Exception {
    Path mixed = home.resolve("mixed");
    writeGrey(mixed.resolve("cat/1.png"), 2, 2, 0);
    writeGrey(mixed.resolve("stray.png"), 2, 2, 0);
    assertInvalidData(
        () -> ingest("r", mixed.toString(), "images"), "class folders (cat)", "stray.png");

    Path empty = home.resolve("emptyclass");
    writeGrey(empty.resolve("cat/1.png"), 2, 2, 0);
    Files.createDirectories(empty.resolve("dog"));
    Files.writeString(empty.resolve("dog/readme.md"), "no images");
    assertInvalidData(() -> ingest("r", empty.toString(), "images"), "'dog'", "no PNG or JPEG");

    Path none = home.resolve("none");
    Files.createDirectories(none);
    assertInvalidData(() -> ingest("r", none.toString(), "images"), "none", "no PNG or JPEG");

    Path broken = home.resolve("broken");
    writeGrey(broken.resolve("a/ok.png"), 32, 32, 0);
    byte[] png = Files.readAllBytes(broken.resolve("a/ok.png"));
    Files.write(broken.resolve("a/cut.png"), Arrays.copyOf(png, png.length / 2));
    assertInvalidData(() -> ingest("r", broken.toString(), "images"), "'a/cut.png'", "decoded");

    Path gif = home.resolve("gif");
    write(new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_INDEXED), "gif", gif.resolve("g.png"));
    assertInvalidData(() -> ingest("r", gif.toString(), "images"), "'g.png'", "gif");

    Path text = home.resolve("text");
    Files.createDirectories(text);
    Files.writeString(text.resolve("t.jpg"), "hello");
    assertInvalidData(() -> ingest("r", text.toString(), "images"), "'t.jpg'", "not a PNG or JPEG");

    assertInvalidData(
        () -> ingest("r", home.resolve("missing").toString(), "images"), "does not exist");
    assertInvalidData(
        () -> ingest("r", broken.resolve("a/ok.png").toString(), "images"), "is not a folder");
    assertInvalidData(() -> ingest("r", "classpath:x", "images"), "folder on disk");
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private StepResult ingest(String runId, String source, String format) {
    Ingest step = new Ingest("ingest", new Literal(source), format, null, null);
    return data.ingest(
        new StepTask(
            new RunInfo("wf-" + runId, runId, "images", "planhash", Map.of()),
            step,
            Map.of(),
            Map.of("source", source)));
  }

  /** Pixels of crafted IDX image {@code i}: distinct per image and position. */
  private static byte[] pixels(int i, int rows, int columns) {
    byte[] p = new byte[rows * columns];
    for (int j = 0; j < p.length; j++) {
      p[j] = (byte) (i * 16 + j);
    }
    return p;
  }

  /**
   * Writes {@code <prefix>-images-idx3-ubyte<imagesSuffix>} and its labels file (labels i % 3) in
   * {@code dir}; returns the images file.
   */
  private static Path idxPair(
      Path dir,
      String prefix,
      int n,
      int rows,
      int columns,
      String imagesSuffix,
      String labelsSuffix)
      throws IOException {
    Files.createDirectories(dir);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      all.write(pixels(i, rows, columns));
      labels[i] = (byte) (i % 3);
    }
    byte[] images = idx(IdxReader.IMAGES_MAGIC, new int[] {n, rows, columns}, all.toByteArray());
    byte[] labelFile = idx(IdxReader.LABELS_MAGIC, new int[] {n}, labels);
    Path imagesPath = dir.resolve(prefix + "-images-idx3-ubyte" + imagesSuffix);
    Files.write(imagesPath, imagesSuffix.isEmpty() ? images : gzip(images));
    Files.write(
        dir.resolve(prefix + "-labels-idx1-ubyte" + labelsSuffix),
        labelsSuffix.isEmpty() ? labelFile : gzip(labelFile));
    return imagesPath;
  }

  /** Grey levels of a crafted image: a gradient offset by {@code seed}. */
  private static byte[] greyPixels(int width, int height, int seed) {
    byte[] p = new byte[width * height];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (seed + 37 * i);
    }
    return p;
  }

  private static void writeGrey(Path file, int width, int height, int seed) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = image.getRaster();
    byte[] p = greyPixels(width, height, seed);
    for (int i = 0; i < p.length; i++) {
      raster.setSample(i % width, i / width, 0, p[i] & 0xff);
    }
    write(image, "png", file);
  }

  private static void write(BufferedImage image, String format, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    assertTrue(ImageIO.write(image, format, file.toFile()), "no ImageIO writer for " + format);
  }

  private static byte[] gunzip(Path file) throws IOException {
    try (InputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
      return in.readAllBytes();
    }
  }

  /** The rows of a Parquet file, BLOBs as byte arrays. */
  private static List<Map<String, Object>> read(Path file, String where) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM read_parquet('" + file + "')" + where)) {
      ResultSetMetaData meta = r.getMetaData();
      while (r.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          Object value = r.getObject(i);
          if (value instanceof java.sql.Blob blob) {
            value = blob.getBytes(1, (int) blob.length());
          }
          row.put(meta.getColumnName(i), value);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static void assertInvalidData(Executable call, String... mentions) {
    ApplicationFailure failure = assertThrows(ApplicationFailure.class, call);
    assertEquals(FailureTypes.INVALID_DATA, failure.getType(), failure.getOriginalMessage());
    assertTrue(failure.isNonRetryable());
    for (String mention : mentions) {
      assertTrue(
          failure.getOriginalMessage().contains(mention),
          "expected '" + mention + "' in: " + failure.getOriginalMessage());
    }
  }
}
