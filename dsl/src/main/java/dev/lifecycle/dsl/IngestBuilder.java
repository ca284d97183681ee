package dev.lifecycle.dsl;

import dev.lifecycle.dsl.compile.Problem;
import dev.lifecycle.dsl.compile.Rules;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.Step;
import java.util.List;

/**
 * Reads a source into a versioned dataset: a CSV or Parquet file, MNIST-style IDX images, or a
 * folder of PNG/JPEG images. The source is a path, a {@code file:} URI or (except for image
 * folders) a {@code classpath:} resource; format {@code auto} (by extension) unless set.
 *
 * <pre>{@code
 * Artifact.Dataset raw = p.ingest("ingest").csv(source).dataset();
 * Artifact.Dataset digits = p.ingest("digits").idx("data/train-images-idx3-ubyte.gz").dataset();
 * Artifact.Dataset pets = p.ingest("pets").images("data/pets").dataset();
 * }</pre>
 *
 * <p>Image datasets have the columns {@code source_index BIGINT} (the item's index in the IDX file,
 * or the file's position in the folder's sorted order), {@code file VARCHAR} (folders only), {@code
 * label BIGINT} and, for folders, {@code label_name VARCHAR} (labelled sources only), {@code height
 * INTEGER}, {@code width INTEGER}, {@code channels INTEGER} (1 greyscale, 3 RGB) and {@code image
 * BLOB}: the pixels as unsigned bytes, row-major, RGB interleaved.
 */
public final class IngestBuilder extends StepBuilder<IngestBuilder> {
  private Value<String> source;
  private String format = "auto";

  IngestBuilder(String name) {
    super(name);
  }

  /** Read the CSV file {@code source} (header row, types inferred). */
  public IngestBuilder csv(Value<String> source) {
    this.source = source;
    this.format = "csv";
    return this;
  }

  /** Read the CSV file at {@code source}. */
  public IngestBuilder csv(String source) {
    return csv(Values.of(source));
  }

  /** Read the Parquet file {@code source}. */
  public IngestBuilder parquet(Value<String> source) {
    this.source = source;
    this.format = "parquet";
    return this;
  }

  /**
   * Read the IDX images file {@code source} ({@code *-images-idx3-ubyte}, gzipped or not), labelled
   * by its sibling {@code *-labels-idx1-ubyte[.gz]} file when there is one, else unlabeled.
   */
  public IngestBuilder idx(Value<String> source) {
    this.source = source;
    this.format = "idx";
    return this;
  }

  /** Read the IDX images file at {@code source} (see {@link #idx(Value)}). */
  public IngestBuilder idx(String source) {
    return idx(Values.of(source));
  }

  /**
   * Read the folder {@code source} of PNG/JPEG images, all of one size: with one sub-folder per
   * class, labelled by the sorted sub-folder names (class index 0, 1, ...); flat, unlabeled.
   */
  public IngestBuilder images(Value<String> source) {
    this.source = source;
    this.format = "images";
    return this;
  }

  /** Read the image folder at {@code source} (see {@link #images(Value)}). */
  public IngestBuilder images(String source) {
    return images(Values.of(source));
  }

  /** The ingested dataset. */
  public Artifact.Dataset dataset() {
    return new Artifact.Dataset(name(), "dataset");
  }

  @Override
  List<Problem> unbuildable() {
    if (source != null) {
      return List.of();
    }
    return List.of(
        new Problem(
            name(),
            Rules.MISSING_INPUT,
            "Step '"
                + name()
                + "' has no source to ingest. Set it: p.ingest(\""
                + name()
                + "\").csv(\"data.csv\"), or .parquet(source), .idx(imagesFile) or"
                + " .images(folder)."));
  }

  @Override
  Step build() {
    return new Ingest(
        name(), source == null ? null : source.operand(), format, options(), afterNames());
  }
}
