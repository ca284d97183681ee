package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Operand;
import dev.lifecycle.dsl.plan.OutputRef;

/**
 * An artifact output of a step: a dataset, a model, a fitted transform, a report. It travels
 * between steps as a reference (URI, sha256, size), never as bytes.
 */
public sealed class Artifact<K> implements Value<K>
    permits Artifact.Dataset, Artifact.Model, Artifact.Transform {
  private final OutputRef ref;

  Artifact(String step, String output) {
    this.ref = new OutputRef(step, output);
  }

  @Override
  public OutputRef operand() {
    return ref;
  }

  @Override
  public String toString() {
    return ref.describe();
  }

  /** Marker for dataset values. */
  public enum DatasetKind {}

  /** Marker for model values. */
  public enum ModelKind {}

  /** Marker for transform values. */
  public enum TransformKind {}

  /** A dataset version (Parquet in the artifact store, listed in the data catalog). */
  public static final class Dataset extends Artifact<DatasetKind> {
    Dataset(String step, String output) {
      super(step, output);
    }
  }

  /** A trained model. */
  public static final class Model extends Artifact<ModelKind> {
    Model(String step, String output) {
      super(step, output);
    }
  }

  /** A fitted feature transform. */
  public static final class Transform extends Artifact<TransformKind> {
    Transform(String step, String output) {
      super(step, output);
    }
  }

  static Operand operandOf(Value<?> value) {
    return value == null ? null : value.operand();
  }
}
