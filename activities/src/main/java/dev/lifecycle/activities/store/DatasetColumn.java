package dev.lifecycle.activities.store;

import java.util.Objects;

/**
 * One column of a dataset as DuckDB types it.
 *
 * @param name the column's name, e.g. {@code Whole.weight}
 * @param type its DuckDB type, e.g. {@code DOUBLE}, {@code VARCHAR}, {@code DECIMAL(9,2)}
 */
public record DatasetColumn(String name, String type) {
  public DatasetColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  @Override
  public String toString() {
    return name + " " + type;
  }
}
