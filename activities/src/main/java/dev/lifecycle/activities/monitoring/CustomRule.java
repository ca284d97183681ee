package dev.lifecycle.activities.monitoring;

import java.util.Objects;

/**
 * A rule of {@code constraints.json} written by a person: a SQL predicate every captured row should
 * satisfy, evaluated by DuckDB over the window (its columns are the window's columns), e.g. {@code
 * "prediction BETWEEN 1 AND 29"} or {@code "\"Whole.weight\" <= 3 * \"Length\""}. A row where the
 * predicate is false fails (the window is the table {@code window_rows} for subqueries); a row
 * where it is null (a missing value) does not, as in a SQL CHECK constraint — completeness is
 * checked per feature.
 *
 * @param name the rule's name, shown in violations
 * @param predicate a SQL boolean expression (one expression: no statements, no semicolons)
 * @param maxFailingFraction the largest share of rows that may fail before the rule is violated, in
 *     [0, 1]; 0 means every row must pass
 */
public record CustomRule(String name, String predicate, double maxFailingFraction) {
  public CustomRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(predicate, "predicate of rule '" + name + "'");
  }
}
