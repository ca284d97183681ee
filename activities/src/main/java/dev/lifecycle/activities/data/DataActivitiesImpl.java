package dev.lifecycle.activities.data;

import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.DatasetColumn;
import dev.lifecycle.activities.store.DatasetVersion;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.dsl.plan.Features;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.Split;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.DataActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The data steps, each in an in-memory DuckDB of its own. Outputs are content-addressed Parquet
 * files recorded in the data catalog with lineage, so a retried step stores nothing new: DuckDB
 * writes the same bytes for the same input, the artifact store keeps one copy per hash, and the
 * catalog and lineage recognise what they have.
 *
 * <p>Data the user must fix fails non-retryably with {@link FailureTypes#INVALID_DATA}, naming the
 * step, the file or column, and for CSV parse errors the line DuckDB reports.
 */
public final class DataActivitiesImpl implements DataActivities {
  /** In a split, fractions may miss 1 by this much (they come from decimal literals). */
  private static final double FRACTION_TOLERANCE = 1e-6;

  /** More categories than this in a one-hot column is almost always an identifier column. */
  static final int MAX_CATEGORIES = 1000;

  private static final Pattern CSV_LINE = Pattern.compile("CSV Error on Line: (\\d+)");
  private static final Pattern URI_SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]+):");
  private static final String CSV_DIALECT =
      "header = true, delim = ',', quote = '\"', escape = '\"', strict_mode = true";

  private final ArtifactStore artifacts;
  private final DatasetRecords records;
  private final ImageIngest images;

  public DataActivitiesImpl(ArtifactStore artifacts, MetadataStore metadata) {
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    this.records = new DatasetRecords(Objects.requireNonNull(metadata, "metadata"));
    this.images = new ImageIngest(artifacts, records);
  }

  // ---------------------------------------------------------------------------------------------
  // Ingest

  @Override
  public StepResult ingest(StepTask task) {
    Ingest step = stepAs(task, Ingest.class);
    String source = task.string("source");
    String format = formatOf(step, source);
    if (format.equals("idx")) {
      return images.idx(task, step, source);
    }
    if (format.equals("images")) {
      return images.folder(task, step, source);
    }
    Path scratch = artifacts.scratch("ingest");
    try {
      Path local = fetch(step, source, scratch.resolve("source"));
      Path parquet = scratch.resolve("dataset.parquet");
      long rows;
      List<DatasetColumn> columns;
      try (Connection db = DuckDb.open(scratch)) {
        load(db, step, source, format, local);
        rows = DuckDb.count(db, "data");
        if (rows == 0) {
          throw invalidData(
              "Source '" + source + "' of step '" + step.name() + "' has a header but no rows");
        }
        DuckDb.toParquet(db, "SELECT * FROM data", parquet);
        columns = DuckDb.describe(db, DuckDb.readParquet(parquet));
      }
      String sourceSha256 = LocalArtifactStore.hashFile(local);
      ArtifactRef dataset = artifacts.put(parquet, ValueType.DATASET, "parquet");
      DatasetVersion version =
          records.catalog(task, DatasetRecords.name(task), dataset, rows, columns, source);
      records.derivedFrom(task, dataset, sourceSha256, sourceUri(source));
      return StepResult.builder()
          .artifact("dataset", dataset)
          .value("rows", rows)
          .value("columns", columns.size())
          .summary(
              rows
                  + " rows × "
                  + columns.size()
                  + " columns ("
                  + describeColumns(columns)
                  + "); "
                  + version.name()
                  + " v"
                  + version.version())
          .build();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "DuckDB failed while step '" + step.name() + "' wrote its dataset: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Step '" + step.name() + "' cannot copy or hash source '" + source + "'", e);
    } finally {
      DuckDb.deleteQuietly(scratch);
    }
  }

  private static String formatOf(Ingest step, String source) {
    String format = step.format().toLowerCase(Locale.ROOT);
    return switch (format) {
      case "csv", "parquet", "idx", "images" -> format;
      case "auto" -> {
        String name = source.toLowerCase(Locale.ROOT);
        if (name.matches(".*\\.csv(\\.gz|\\.zst)?$")) {
          yield "csv";
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
          yield "parquet";
        }
        if (name.matches(".*-idx3-ubyte(\\.gz)?$")) {
          yield "idx";
        }
        throw invalidData(
            "Step '"
                + step.name()
                + "' cannot tell the format of source '"
                + source
                + "' from its name: set the format to csv, parquet, idx (an IDX images file) or"
                + " images (a folder of PNG/JPEG files)");
      }
      default ->
          throw invalidData(
              "Step '"
                  + step.name()
                  + "' has unknown format '"
                  + step.format()
                  + "'. Formats: csv, parquet, auto (by the source's extension), idx (MNIST-style"
                  + " IDX images with their labels file), images (a folder of PNG/JPEG files)");
    };
  }

  /**
   * Copies the source into the scratch directory. Reading a private copy means the hash recorded in
   * lineage is the hash of exactly what was read, even if the file changes meanwhile, and lets
   * DuckDB read classpath resources that live inside jars.
   */
  private static Path fetch(Ingest step, String source, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path copy;
    if (source.startsWith("classpath:")) {
      String resource = source.substring("classpath:".length()).replaceFirst("^/+", "");
      URL url = resource(resource);
      if (url == null) {
        throw invalidData(
            "Source '" + source + "' of step '" + step.name() + "' is not on the classpath");
      }
      copy = dir.resolve(fileName(resource));
      try (InputStream in = url.openStream()) {
        Files.copy(in, copy);
      }
    } else {
      Path path = localPath(step, source);
      if (!Files.exists(path)) {
        throw invalidData(
            "Source file '" + path + "' of step '" + step.name() + "' does not exist");
      }
      if (!Files.isRegularFile(path)) {
        throw invalidData("Source '" + path + "' of step '" + step.name() + "' is not a file");
      }
      if (!Files.isReadable(path)) {
        throw invalidData(
            "Source file '" + path + "' of step '" + step.name() + "' is not readable");
      }
      copy = dir.resolve(fileName(path.getFileName().toString()));
      Files.copy(path, copy);
    }
    if (Files.size(copy) == 0) {
      throw invalidData("Source file '" + source + "' of step '" + step.name() + "' is empty");
    }
    return copy;
  }

  static URL resource(String name) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    URL url = context == null ? null : context.getResource(name);
    return url != null ? url : DataActivitiesImpl.class.getClassLoader().getResource(name);
  }

  static Path localPath(Ingest step, String source) {
    Matcher scheme = URI_SCHEME.matcher(source);
    try {
      if (source.startsWith("file:")) {
        return Path.of(URI.create(source));
      }
      if (scheme.find()) {
        throw invalidData(
            "Source '"
                + source
                + "' of step '"
                + step.name()
                + "' uses the unsupported scheme '"
                + scheme.group(1)
                + "': use a path, a file: URI or a classpath: resource");
      }
      return Path.of(source).toAbsolutePath();
    } catch (IllegalArgumentException e) {
      // URI.create and Path.of (InvalidPathException) both throw IllegalArgumentException.
      throw invalidData(
          "Source '" + source + "' of step '" + step.name() + "' is not a valid path or file: URI");
    }
  }

  /** A file name DuckDB can infer compression from, free of characters SQL would need to quote. */
  private static String fileName(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    return name.isEmpty() ? "source" : name;
  }

  private static String sourceUri(String source) {
    if (source.startsWith("classpath:") || source.startsWith("file:")) {
      return source;
    }
    return Path.of(source).toAbsolutePath().normalize().toUri().toString();
  }

  /** Loads the source into table {@code data}; what DuckDB cannot read is the user's to fix. */
  private static void load(Connection db, Ingest step, String source, String format, Path local) {
    String path = DuckDb.literal(local.toString());
    if (format.equals("parquet")) {
      try {
        DuckDb.execute(db, "CREATE TABLE data AS SELECT * FROM read_parquet(" + path + ")");
      } catch (SQLException e) {
        throw invalidData(
            "Cannot read Parquet source '"
                + source
                + "' of step '"
                + step.name()
                + "': "
                + DuckDb.reason(e, local, source));
      }
      return;
    }
    // Two passes: the sniffer types the columns over the whole file, skipping rows it cannot
    // parse; then a strict read with those types reports the first bad row with its line number
    // (the sniffer alone reports only that it failed).
    List<DatasetColumn> columns;
    try {
      columns =
          DuckDb.describe(
              db,
              "read_csv("
                  + path
                  + ", "
                  + CSV_DIALECT
                  + ", sample_size = -1, ignore_errors = true)");
    } catch (SQLException e) {
      throw invalidData(
          "Cannot read CSV source '"
              + source
              + "' of step '"
              + step.name()
              + "' as comma-separated UTF-8 with a header row and balanced double quotes: "
              + DuckDb.reason(e, local, source));
    }
    for (DatasetColumn column : columns) {
      if (column.name().chars().anyMatch(Character::isISOControl)) {
        throw invalidData(
            "Cannot read CSV source '"
                + source
                + "' of step '"
                + step.name()
                + "': its header holds control characters, so it is not a UTF-8 text CSV");
      }
    }
    String types =
        columns.stream()
            .map(c -> DuckDb.literal(c.name()) + ": " + DuckDb.literal(c.type()))
            .collect(Collectors.joining(", ", "{", "}"));
    try {
      DuckDb.execute(
          db,
          "CREATE TABLE data AS SELECT * FROM read_csv("
              + path
              + ", "
              + CSV_DIALECT
              + ", auto_detect = false, columns = "
              + types
              + ")");
    } catch (SQLException e) {
      Matcher line = CSV_LINE.matcher(String.valueOf(e.getMessage()));
      boolean hasLine = line.find();
      String reason = DuckDb.reason(e, local, source);
      throw invalidData(
          "Cannot read CSV source '"
              + source
              + "' of step '"
              + step.name()
              + "'"
              + (hasLine ? " at line " + line.group(1) : "")
              + ": "
              + (hasLine ? reason.replaceFirst("^CSV Error on Line: \\d+(; )?", "") : reason));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Split

  @Override
  public StepResult split(StepTask task) {
    Split step = stepAs(task, Split.class);
    checkFractions(step);
    ArtifactRef input = task.artifact("dataset");
    Path data = artifacts.resolve(input);
    Path scratch = artifacts.scratch("split");
    try {
      Map<String, Path> files = new LinkedHashMap<>();
      Map<String, Long> sizes = new LinkedHashMap<>();
      List<DatasetColumn> columns;
      try (Connection db = DuckDb.open(scratch)) {
        String relation = DuckDb.readParquet(data);
        columns = DuckDb.describe(db, relation);
        long n = DuckDb.count(db, relation);
        if (n < 3) {
          throw invalidData(
              "Step '"
                  + step.name()
                  + "' cannot split a dataset of "
                  + n
                  + " rows into train, validation and test: it needs at least 3");
        }
        if (n > Integer.MAX_VALUE - 8) {
          throw invalidData(
              "Step '" + step.name() + "' splits at most 2^31 rows on one worker, got " + n);
        }
        long train = share(n, step.train());
        long validation = share(n, step.validation());
        sizes.put("train", train);
        sizes.put("validation", validation);
        sizes.put("test", n - train - validation);
        assign(db, (int) n, (int) train, (int) validation, step.seed());
        int part = 0;
        for (String output : sizes.keySet()) {
          Path file = scratch.resolve(output + ".parquet");
          // POSITIONAL JOIN pairs the i-th row of the file with the i-th assignment, so the split
          // depends only on file order and the seed, never on DuckDB's thread scheduling.
          DuckDb.toParquet(
              db,
              "SELECT d.* FROM "
                  + relation
                  + " AS d POSITIONAL JOIN assignment AS a WHERE a.part = "
                  + part++
                  + " ORDER BY a.pos",
              file);
          files.put(output, file);
        }
      }
      StepResult.Builder result = StepResult.builder();
      List<String> parts = new ArrayList<>();
      for (Map.Entry<String, Path> e : files.entrySet()) {
        String output = e.getKey();
        ArtifactRef ref = artifacts.put(e.getValue(), ValueType.DATASET, "parquet");
        records.catalog(
            task, DatasetRecords.name(task, output), ref, sizes.get(output), columns, input.uri());
        records.derivedFrom(task, ref, input);
        result.artifact(output, ref).value(output + "Rows", sizes.get(output));
        parts.add(output + " " + sizes.get(output));
      }
      return result.summary(String.join(", ", parts) + " rows (seed " + step.seed() + ")").build();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "DuckDB failed while step '"
              + step.name()
              + "' split "
              + input.uri()
              + ": "
              + e.getMessage(),
          e);
    } finally {
      DuckDb.deleteQuietly(scratch);
    }
  }

  private static void checkFractions(Split step) {
    double[] fractions = {step.train(), step.validation(), step.test()};
    double sum = 0;
    for (double f : fractions) {
      if (!Double.isFinite(f) || f < 0 || f > 1) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Step '" + step.name() + "' has a split fraction outside [0, 1]: " + f,
            FailureTypes.INVALID_PLAN);
      }
      sum += f;
    }
    if (Math.abs(sum - 1) > FRACTION_TOLERANCE) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '"
              + step.name()
              + "' split fractions "
              + step.train()
              + " + "
              + step.validation()
              + " + "
              + step.test()
              + " add up to "
              + sum
              + ", not 1",
          FailureTypes.INVALID_PLAN);
    }
  }

  /** floor(n × fraction), forgiving binary rounding (0.29 × 100 is 28.999999999999996). */
  static long share(long n, double fraction) {
    return (long) Math.floor(n * fraction + 1e-9);
  }

  /**
   * The seeded permutation of 0..n-1 that {@code Collections.shuffle(list, new Random(seed))}
   * produces, without boxing every index.
   */
  static int[] permutation(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = n; i > 1; i--) {
      int j = random.nextInt(i);
      int swap = order[i - 1];
      order[i - 1] = order[j];
      order[j] = swap;
    }
    return order;
  }

  /**
   * Table {@code assignment}, one row per input row in file order: which part (0 train, 1
   * validation, 2 test) it goes to, and its position in the shuffled order.
   */
  private static void assign(Connection db, int n, int train, int validation, long seed)
      throws SQLException {
    int[] order = permutation(n, seed);
    byte[] part = new byte[n];
    int[] position = new int[n];
    for (int pos = 0; pos < n; pos++) {
      int row = order[pos];
      position[row] = pos;
      part[row] = (byte) (pos < train ? 0 : pos < train + validation ? 1 : 2);
    }
    DuckDb.execute(db, "CREATE TABLE assignment (part TINYINT NOT NULL, pos INTEGER NOT NULL)");
    try (DuckDBAppender appender =
        db.unwrap(DuckDBConnection.class).createAppender("main", "assignment")) {
      for (int row = 0; row < n; row++) {
        appender.beginRow().append(part[row]).append(position[row]).endRow();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Features

  @Override
  public StepResult features(StepTask task) {
    Features step = stepAs(task, Features.class);
    Map<String, ArtifactRef> inputs = new LinkedHashMap<>();
    inputs.put("train", task.artifact("train"));
    inputs.put("validation", task.artifact("validation"));
    inputs.put("test", task.artifact("test"));
    Map<String, Path> paths = new LinkedHashMap<>();
    inputs.forEach((split, ref) -> paths.put(split, artifacts.resolve(ref)));
    Path scratch = artifacts.scratch("features");
    try {
      FeatureTransform transform;
      Map<String, Path> outputs = new LinkedHashMap<>();
      Map<String, Long> rows = new LinkedHashMap<>();
      List<DatasetColumn> outputColumns;
      try (Connection db = DuckDb.open(scratch)) {
        Map<String, String> relations = new LinkedHashMap<>();
        paths.forEach((split, path) -> relations.put(split, DuckDb.readParquet(path)));
        transform = FeatureFitter.fit(db, step, relations);
        for (Map.Entry<String, String> e : relations.entrySet()) {
          Path file = scratch.resolve(e.getKey() + ".parquet");
          DuckDb.toParquet(db, "SELECT " + transform.selectList() + " FROM " + e.getValue(), file);
          outputs.put(e.getKey(), file);
          rows.put(e.getKey(), DuckDb.count(db, e.getValue()));
        }
        outputColumns = DuckDb.describe(db, DuckDb.readParquet(outputs.get("train")));
      }
      Path json = scratch.resolve("transform.json");
      Files.writeString(json, transform.toJson(), StandardCharsets.UTF_8);
      ArtifactRef transformRef = artifacts.put(json, ValueType.TRANSFORM, "json");
      records.derivedFrom(task, transformRef, inputs.get("train"));

      StepResult.Builder result = StepResult.builder();
      for (Map.Entry<String, Path> e : outputs.entrySet()) {
        String split = e.getKey();
        ArtifactRef ref = artifacts.put(e.getValue(), ValueType.DATASET, "parquet");
        records.catalog(
            task,
            DatasetRecords.name(task, split),
            ref,
            rows.get(split),
            outputColumns,
            inputs.get(split).uri());
        records.derivedFrom(task, ref, inputs.get(split));
        records.derivedFrom(task, ref, transformRef);
        result.artifact(split, ref);
      }
      int featureColumns = transform.features().size();
      return result
          .artifact("transform", transformRef)
          .value("featureColumns", featureColumns)
          .summary(FeatureFitter.summary(transform))
          .build();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "DuckDB failed in step '" + step.name() + "': " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("Step '" + step.name() + "' cannot write its transform", e);
    } finally {
      DuckDb.deleteQuietly(scratch);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static String describeColumns(List<DatasetColumn> columns) {
    int shown = Math.min(columns.size(), 12);
    String list =
        columns.subList(0, shown).stream()
            .map(DatasetColumn::toString)
            .collect(Collectors.joining(", "));
    return shown < columns.size() ? list + ", ... " + (columns.size() - shown) + " more" : list;
  }

  private static <T extends Step> T stepAs(StepTask task, Class<T> kind) {
    if (kind.isInstance(task.step())) {
      return kind.cast(task.step());
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "The "
            + kind.getSimpleName()
            + " activity got step '"
            + task.stepName()
            + "' of kind '"
            + task.step().kind()
            + "'",
        FailureTypes.INVALID_PLAN);
  }

  static ApplicationFailure invalidData(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_DATA);
  }
}
