package dev.lifecycle.dsl.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a source (CSV or Parquet; a path, a {@code file:} URI or a {@code classpath:} resource)
 * into a versioned Parquet dataset in the artifact store and the data catalog.
 *
 * @param format {@code csv}, {@code parquet}, {@code idx} (MNIST-style image files), {@code images}
 *     (a folder of PNG/JPEG images, one sub-folder per class) or {@code auto} (by the source)
 */
@Step.Kind("ingest")
public record Ingest(
    String name, Operand source, String format, StepOptions options, List<String> after)
    implements Step {
  public Ingest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source of ingest '" + name + "'");
    format = format == null ? "auto" : format;
    options = Inputs.options(options);
    after = Inputs.copy(after);
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.ingest(this);
  }

  @Override
  public Map<String, Input> inputs() {
    return new Inputs().put("source", source, ValueType.STRING).build();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of("dataset", ValueType.DATASET);
  }
}
