package dev.lifecycle.dsl;

import dev.lifecycle.dsl.compile.Problem;
import dev.lifecycle.dsl.compile.Rules;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.Step;
import java.util.List;

/**
 * Reads a CSV or Parquet source into a versioned dataset. The source is a path, a {@code file:} URI
 * or a {@code classpath:} resource; format {@code auto} (by extension) unless set.
 *
 * <pre>{@code
 * Artifact.Dataset raw = p.ingest("ingest").csv(source).dataset();
 * }</pre>
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
                + "\").csv(\"data.csv\"), or .parquet(source) for a Parquet file."));
  }

  @Override
  Step build() {
    return new Ingest(
        name(), source == null ? null : source.operand(), format, options(), afterNames());
  }
}
