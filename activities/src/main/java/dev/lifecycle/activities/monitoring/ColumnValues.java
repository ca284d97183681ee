package dev.lifecycle.activities.monitoring;

/**
 * One column of a dataset or window, loaded for monitoring: numbers (NaN for missing) or strings
 * (null for missing), with the column's observed kind and how many values had the wrong type.
 */
record ColumnValues(
    String name,
    String columnType,
    FeatureKind observedKind,
    double[] numbers,
    String[] strings,
    long typeMismatches,
    String mismatchExample) {

  int size() {
    return numbers != null ? numbers.length : strings.length;
  }
}
