package dev.lifecycle.dsl.plan;

/**
 * The type of a value that flows between steps: a parameter's type, a step output's type, or the
 * type a step expects of an input. Scalars travel in workflow payloads; the others are artifacts
 * that travel as references (URI, sha256, size), never as bytes.
 */
public enum ValueType {
  STRING,
  INTEGER,
  DOUBLE,
  BOOLEAN,
  DATASET,
  MODEL,
  TRANSFORM,
  REPORT,
  PREDICTIONS;

  /** Whether values of this type are stored in the artifact store and passed by reference. */
  public boolean isArtifact() {
    return ordinal() >= DATASET.ordinal();
  }

  /** Whether a value of type {@code actual} may be used where this type is expected. */
  public boolean accepts(ValueType actual) {
    return this == actual || (this == DOUBLE && actual == INTEGER);
  }

  /** The lower-case name used in messages and JSON. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
