package dev.lifecycle.activities.data;

import static dev.lifecycle.activities.data.DataActivitiesImpl.invalidData;

import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.DatasetColumn;
import dev.lifecycle.activities.store.DatasetVersion;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Ingests images into Parquet datasets of the schema {@link ImageTable} describes: MNIST-style IDX
 * files (format {@code idx}) and folders of PNG/JPEG files (format {@code images}).
 *
 * <p>IDX: the source is the images file ({@code *-images-idx3-ubyte}, gzipped or not); its labels
 * are the sibling file whose name has {@code labels-idx1} in place of {@code images-idx3} (with or
 * without {@code .gz}). Without such a file the images are ingested unlabeled, and the summary says
 * so. Both files are streamed: memory does not grow with the number of images.
 *
 * <p>Like every ingest, the dataset is content-addressed and cataloged under {@code
 * <pipeline>/<step>}, with lineage to the sources read (each IDX file, or the folder by the hash of
 * its images' paths and contents). The same input gives the same bytes.
 */
final class ImageIngest {
  /** Images between two heartbeats (the SDK throttles them further). */
  private static final int HEARTBEAT_EVERY = 1024;

  /** Largest image of a folder ingest, in bytes of pixels. */
  static final long MAX_IMAGE_BYTES = 1L << 28;

  private static final String IMAGES_PART = "images-idx3";
  private static final String LABELS_PART = "labels-idx1";

  private final ArtifactStore artifacts;
  private final DatasetRecords records;

  ImageIngest(ArtifactStore artifacts, DatasetRecords records) {
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    this.records = Objects.requireNonNull(records, "records");
  }

  // ---------------------------------------------------------------------------------------------
  // IDX

  /** Where an IDX file is and how to read it. */
  private interface Opener {
    InputStream open() throws IOException;
  }

  /**
   * An IDX file to read.
   *
   * @param shownAs how messages name it
   * @param uri what lineage records as its origin
   * @param resource its classpath resource name, or null for a file
   */
  private record IdxSource(String shownAs, String uri, String resource, Opener opener) {}

  /** Ingests an IDX images file and, when it has one, its sibling labels file. */
  StepResult idx(StepTask task, Ingest step, String source) {
    IdxSource images = locateImages(step, source);
    String labelsName =
        labelsName(fileName(images.resource() != null ? images.resource() : images.shownAs()));
    IdxSource labels = labelsName == null ? null : locateLabels(images, labelsName);
    Path scratch = artifacts.scratch("ingest");
    try {
      Path parquet = scratch.resolve("dataset.parquet");
      int count;
      int rows;
      int columnsOfImage;
      int[] perClass = new int[256];
      String imagesSha256;
      String labelsSha256 = null;
      List<DatasetColumn> columns;
      Runnable heartbeat = heartbeat();
      try (IdxReader imageFile = IdxReader.images(images.opener().open(), images.shownAs());
          IdxReader labelFile =
              labels == null ? null : IdxReader.labels(labels.opener().open(), labels.shownAs());
          Connection db = DuckDb.open(scratch);
          ImageTable table = new ImageTable(db, false, labelFile != null, false)) {
        count = imageFile.count();
        rows = imageFile.rows();
        columnsOfImage = imageFile.columns();
        if (count == 0) {
          throw invalidData(
              "IDX images file '"
                  + images.shownAs()
                  + "' of step '"
                  + step.name()
                  + "' is empty:"
                  + " its header declares 0 images");
        }
        if (labelFile != null && labelFile.count() != count) {
          throw invalidData(
              "IDX images file '"
                  + images.shownAs()
                  + "' holds "
                  + count
                  + " images but its labels file '"
                  + labels.shownAs()
                  + "' holds "
                  + labelFile.count()
                  + " labels: they must pair one to one");
        }
        byte[] pixels = new byte[imageFile.itemSize()];
        for (int i = 0; i < count; i++) {
          imageFile.next(pixels);
          int label = 0;
          if (labelFile != null) {
            label = labelFile.nextLabel();
            perClass[label]++;
          }
          table.append(i, null, label, null, rows, columnsOfImage, 1, pixels);
          if (i % HEARTBEAT_EVERY == 0) {
            heartbeat.run();
          }
        }
        imagesSha256 = imageFile.finish();
        if (labelFile != null) {
          labelsSha256 = labelFile.finish();
        }
        table.writeParquet(parquet);
        columns = DuckDb.describe(db, DuckDb.readParquet(parquet));
      }
      ArtifactRef dataset = artifacts.put(parquet, ValueType.DATASET, "parquet");
      DatasetVersion version =
          records.catalog(task, DatasetRecords.name(task), dataset, count, columns, source);
      records.derivedFrom(task, dataset, imagesSha256, images.uri());
      StepResult.Builder result =
          StepResult.builder()
              .artifact("dataset", dataset)
              .value("rows", (long) count)
              .value("columns", columns.size())
              .value("height", rows)
              .value("width", columnsOfImage)
              .value("channels", 1);
      String described;
      if (labels != null) {
        records.derivedFrom(task, dataset, labelsSha256, labels.uri());
        int classes = classes(perClass);
        result.value("classes", classes);
        described = classes + (classes == 1 ? " class" : " classes") + absent(perClass, classes);
      } else {
        described =
            labelsName == null
                ? "unlabeled (the file name has no '" + IMAGES_PART + "' to find a labels file by)"
                : "unlabeled (no labels file '" + labelsName + "' next to it)";
      }
      return result
          .summary(
              count
                  + " images "
                  + rows
                  + "×"
                  + columnsOfImage
                  + ", "
                  + described
                  + "; "
                  + version.name()
                  + " v"
                  + version.version())
          .build();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "DuckDB failed while step '" + step.name() + "' wrote its dataset: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Step '" + step.name() + "' cannot read IDX source '" + source + "'", e);
    } finally {
      DuckDb.deleteQuietly(scratch);
    }
  }

  private static IdxSource locateImages(Ingest step, String source) {
    if (source.startsWith("classpath:")) {
      String resource = source.substring("classpath:".length()).replaceFirst("^/+", "");
      URL url = DataActivitiesImpl.resource(resource);
      if (url == null) {
        throw invalidData(
            "Source '" + source + "' of step '" + step.name() + "' is not on the classpath");
      }
      return new IdxSource(source, source, resource, url::openStream);
    }
    Path path = DataActivitiesImpl.localPath(step, source);
    if (!Files.exists(path)) {
      throw invalidData("Source file '" + path + "' of step '" + step.name() + "' does not exist");
    }
    if (!Files.isRegularFile(path)) {
      throw invalidData(
          "Source '"
              + path
              + "' of step '"
              + step.name()
              + "' is not a file: format idx reads an images file such as"
              + " train-images-idx3-ubyte.gz");
    }
    if (!Files.isReadable(path)) {
      throw invalidData("Source file '" + path + "' of step '" + step.name() + "' is not readable");
    }
    return new IdxSource(path.toString(), uriOf(path), null, () -> Files.newInputStream(path));
  }

  /** The labels file named {@code labelsName} (or its gzip twin) next to the images, or null. */
  private static IdxSource locateLabels(IdxSource images, String labelsName) {
    for (String name : List.of(labelsName, gzipTwin(labelsName))) {
      if (images.resource() != null) {
        String resource = images.resource();
        String sibling =
            resource.substring(0, resource.length() - fileName(resource).length()) + name;
        URL url = DataActivitiesImpl.resource(sibling);
        if (url != null) {
          return new IdxSource(
              "classpath:" + sibling, "classpath:" + sibling, sibling, url::openStream);
        }
      } else {
        Path path = Path.of(images.shownAs()).resolveSibling(name);
        if (Files.isRegularFile(path)) {
          return new IdxSource(
              path.toString(), uriOf(path), null, () -> Files.newInputStream(path));
        }
      }
    }
    return null;
  }

  private static String uriOf(Path path) {
    return path.toAbsolutePath().normalize().toUri().toString();
  }

  /**
   * The labels file's name for an images file's name, by the MNIST convention ({@code
   * train-images-idx3-ubyte.gz} → {@code train-labels-idx1-ubyte.gz}); null when the name does not
   * follow it.
   */
  static String labelsName(String imagesName) {
    int at = imagesName.lastIndexOf(IMAGES_PART);
    if (at < 0) {
      return null;
    }
    return imagesName.substring(0, at)
        + LABELS_PART
        + imagesName.substring(at + IMAGES_PART.length());
  }

  private static String gzipTwin(String name) {
    return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name + ".gz";
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Classes a classifier of these labels needs: the largest label plus one. */
  private static int classes(int[] perClass) {
    int last = perClass.length - 1;
    while (last > 0 && perClass[last] == 0) {
      last--;
    }
    return last + 1;
  }

  private static String absent(int[] perClass, int classes) {
    List<String> missing = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      if (perClass[c] == 0) {
        missing.add(Integer.toString(c));
      }
    }
    return missing.isEmpty() ? "" : " (no images of class " + String.join(", ", missing) + ")";
  }

  // ---------------------------------------------------------------------------------------------
  // Folders

  /** Ingests a folder of PNG/JPEG images, labelled by class sub-folders or flat. */
  StepResult folder(StepTask task, Ingest step, String source) {
    if (source.startsWith("classpath:")) {
      throw invalidData(
          "Source '"
              + source
              + "' of step '"
              + step.name()
              + "' is a classpath: resource, but format images reads a folder on disk: use a path"
              + " or a file: URI");
    }
    Path dir = DataActivitiesImpl.localPath(step, source);
    if (!Files.exists(dir)) {
      throw invalidData("Source folder '" + dir + "' of step '" + step.name() + "' does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw invalidData(
          "Source '"
              + dir
              + "' of step '"
              + step.name()
              + "' is not a folder: format images reads a folder of PNG/JPEG files, with one"
              + " sub-folder per class for labelled images");
    }
    Path scratch = artifacts.scratch("ingest");
    try {
      ImageFolder folder = ImageFolder.scan(dir, dir.toString());
      ImageFolder.Shape shape = folder.probe();
      long imageBytes = (long) shape.height() * shape.width() * shape.channels();
      if (imageBytes > MAX_IMAGE_BYTES) {
        throw invalidData(
            "The images of '"
                + dir
                + "' are "
                + shape.width()
                + "×"
                + shape.height()
                + " pixels, more than "
                + MAX_IMAGE_BYTES
                + " bytes each: resize them before ingesting");
      }
      Path parquet = scratch.resolve("dataset.parquet");
      MessageDigest manifest = sha256();
      List<DatasetColumn> columns;
      List<ImageFolder.Item> items = folder.items();
      List<String> classes = folder.classes();
      Runnable heartbeat = heartbeat();
      try (Connection db = DuckDb.open(scratch);
          ImageTable table = new ImageTable(db, true, folder.labelled(), true)) {
        byte[] pixels = new byte[(int) imageBytes];
        for (int i = 0; i < items.size(); i++) {
          ImageFolder.Item item = items.get(i);
          byte[] bytes = Files.readAllBytes(item.path());
          String fileSha256 = HexFormat.of().formatHex(sha256().digest(bytes));
          manifest.update(
              (item.relative() + "\0" + fileSha256 + "\n").getBytes(StandardCharsets.UTF_8));
          ImageFolder.decode(bytes, item, shape, pixels);
          table.append(
              i,
              item.relative(),
              item.label(),
              item.label() < 0 ? null : classes.get(item.label()),
              shape.height(),
              shape.width(),
              shape.channels(),
              pixels);
          if (i % HEARTBEAT_EVERY == 0) {
            heartbeat.run();
          }
        }
        table.writeParquet(parquet);
        columns = DuckDb.describe(db, DuckDb.readParquet(parquet));
      }
      ArtifactRef dataset = artifacts.put(parquet, ValueType.DATASET, "parquet");
      DatasetVersion version =
          records.catalog(task, DatasetRecords.name(task), dataset, items.size(), columns, source);
      records.derivedFrom(task, dataset, HexFormat.of().formatHex(manifest.digest()), uriOf(dir));
      StepResult.Builder result =
          StepResult.builder()
              .artifact("dataset", dataset)
              .value("rows", (long) items.size())
              .value("columns", columns.size())
              .value("height", shape.height())
              .value("width", shape.width())
              .value("channels", shape.channels());
      String described;
      if (folder.labelled()) {
        result.value("classes", classes.size()).value("classNames", classes);
        described =
            classes.size()
                + (classes.size() == 1 ? " class (" : " classes (")
                + listed(classes)
                + ")";
      } else {
        described = "unlabeled (no class sub-folders)";
      }
      String skipped =
          folder.skipped() == 0
              ? ""
              : "; skipped "
                  + folder.skipped()
                  + (folder.skipped() == 1 ? " file" : " files")
                  + " not ending in .png, .jpg or .jpeg";
      return result
          .summary(
              items.size()
                  + " images "
                  + shape.height()
                  + "×"
                  + shape.width()
                  + (shape.channels() == 1 ? " greyscale" : " RGB")
                  + ", "
                  + described
                  + skipped
                  + "; "
                  + version.name()
                  + " v"
                  + version.version())
          .build();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "DuckDB failed while step '" + step.name() + "' wrote its dataset: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Step '" + step.name() + "' cannot read image folder '" + source + "'", e);
    } finally {
      DuckDb.deleteQuietly(scratch);
    }
  }

  private static String listed(List<String> names) {
    int shown = Math.min(names.size(), 20);
    String list = String.join(", ", names.subList(0, shown));
    return shown < names.size() ? list + ", ... " + (names.size() - shown) + " more" : list;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Heartbeats of the running activity; nothing when called outside one (tests and tools call the
   * ingest directly). Heartbeating also delivers cancellation, which then stops the ingest.
   */
  private static Runnable heartbeat() {
    ActivityExecutionContext context;
    try {
      context = Activity.getExecutionContext();
    } catch (IllegalStateException outsideAnActivity) {
      return () -> {};
    }
    return () -> context.heartbeat(null);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }
}
