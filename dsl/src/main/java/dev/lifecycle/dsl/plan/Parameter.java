package dev.lifecycle.dsl.plan;

import java.util.Objects;

/**
 * A typed pipeline parameter, set per run.
 *
 * @param name the name runs use to set it
 * @param type a scalar type: string, integer, double or boolean
 * @param defaultValue the value when a run does not set it; {@code null} makes it required
 * @param description what it means, for people
 */
public record Parameter(String name, ValueType type, Object defaultValue, String description) {
  public Parameter {
    Objects.requireNonNull(name, "parameter name");
    Objects.requireNonNull(type, "parameter type");
    if (type.isArtifact()) {
      throw new IllegalArgumentException(
          "Parameter '"
              + name
              + "' must be a string, integer, double or boolean, not "
              + type.label());
    }
    description = description == null ? "" : description;
  }

  /** Whether a run must set this parameter. */
  public boolean required() {
    return defaultValue == null;
  }
}
