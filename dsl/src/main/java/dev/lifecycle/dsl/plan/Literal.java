package dev.lifecycle.dsl.plan;

import java.util.Objects;

/**
 * A constant: a string, a number or a boolean.
 *
 * @param value the value; {@link String}, {@link Integer}, {@link Long}, {@link Double} or {@link
 *     Boolean}
 */
public record Literal(Object value) implements Operand {
  public Literal {
    Objects.requireNonNull(value, "literal value");
    if (!(value instanceof String
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Double
        || value instanceof Float
        || value instanceof Boolean)) {
      throw new IllegalArgumentException(
          "A literal must be a string, a number or a boolean, not " + value.getClass().getName());
    }
    if (value instanceof Float f) {
      value = f.doubleValue();
    }
    // JSON reads small integers back as Integer: normalise so a plan equals its round trip.
    if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
      value = l.intValue();
    }
  }

  /** The type of this literal's value. */
  public ValueType type() {
    if (value instanceof String) {
      return ValueType.STRING;
    }
    if (value instanceof Boolean) {
      return ValueType.BOOLEAN;
    }
    if (value instanceof Integer || value instanceof Long) {
      return ValueType.INTEGER;
    }
    return ValueType.DOUBLE;
  }

  @Override
  public String describe() {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }
}
