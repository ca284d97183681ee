package dev.lifecycle.activities.evaluation;

/**
 * Argument checks shared by the metrics, so that every metric rejects bad input with the same
 * words: what is empty, both lengths when they differ, and where a value is not finite.
 */
final class MetricInputs {
  private MetricInputs() {}

  /** Both arrays have the same, non-zero length. */
  static void requireSameNonEmpty(String first, int firstLength, String second, int secondLength) {
    if (firstLength != secondLength) {
      throw new IllegalArgumentException(
          "'"
              + first
              + "' has "
              + firstLength
              + " values but '"
              + second
              + "' has "
              + secondLength
              + ": they must have one value per row");
    }
    if (firstLength == 0) {
      throw new IllegalArgumentException(
          "'" + first + "' and '" + second + "' are empty: there is nothing to score");
    }
  }

  /** Every value is finite (scikit-learn rejects NaN and infinity in labels and scores alike). */
  static void requireFinite(String name, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(
            "'" + name + "' holds " + values[i] + " at index " + i + ": values must be finite");
      }
    }
  }

  /**
   * Every row has {@code width} finite values; the message names the row and column of the first
   * bad one.
   */
  static void requireFiniteRows(String name, double[][] rows, int width) {
    for (int i = 0; i < rows.length; i++) {
      double[] row = rows[i];
      if (row == null || row.length != width) {
        throw new IllegalArgumentException(
            "Row "
                + i
                + " of '"
                + name
                + "' has "
                + (row == null ? "no" : String.valueOf(row.length))
                + " values but row 0 has "
                + width);
      }
      for (int c = 0; c < width; c++) {
        if (!Double.isFinite(row[c])) {
          throw new IllegalArgumentException(
              "'"
                  + name
                  + "' holds "
                  + row[c]
                  + " at row "
                  + i
                  + ", column "
                  + c
                  + ": values must be finite");
        }
      }
    }
  }

  /** Every class index lies in {@code 0..classes-1}. */
  static void requireClassIndices(String name, int[] values, int classes) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] >= classes) {
        throw new IllegalArgumentException(
            "Row "
                + i
                + " of '"
                + name
                + "' has class "
                + values[i]
                + " outside 0.."
                + (classes - 1));
      }
    }
  }
}
