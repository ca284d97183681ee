package dev.lifecycle.workflows;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How values read in run messages: {@code 2.3142}, not {@code 2.3141592653589793}. Used for fail
 * messages and the branch a condition took, where people compare a metric with a threshold.
 */
final class Display {
  /** Decimals kept for numbers of magnitude 1 or more. */
  private static final int DECIMALS = 4;

  /** Significant digits kept for numbers smaller than 1, so that 0.000123456 stays readable. */
  private static final MathContext SMALL = new MathContext(4, RoundingMode.HALF_EVEN);

  private Display() {}

  /** {@code value} for a message: doubles rounded, strings as they are, null as {@code null}. */
  static String value(Object value) {
    if (value instanceof Double || value instanceof Float) {
      return number(((Number) value).doubleValue());
    }
    return String.valueOf(value);
  }

  /** A double with 4 decimals (or 4 significant digits below 1), trailing zeros dropped. */
  static String number(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    if (value == 0.0) {
      return "0";
    }
    BigDecimal decimal = BigDecimal.valueOf(value);
    BigDecimal rounded =
        Math.abs(value) >= 1.0
            ? decimal.setScale(DECIMALS, RoundingMode.HALF_EVEN)
            : decimal.round(SMALL);
    rounded = rounded.stripTrailingZeros();
    if (rounded.scale() < 0) {
      rounded = rounded.setScale(0, RoundingMode.UNNECESSARY);
    }
    return Math.abs(value) >= 1e15 ? Double.toString(value) : rounded.toPlainString();
  }
}
