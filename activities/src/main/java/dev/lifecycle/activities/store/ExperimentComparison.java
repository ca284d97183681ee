package dev.lifecycle.activities.store;

import java.util.List;
import java.util.Map;

/**
 * Two or more runs side by side. Each row maps a run id to its value ({@code null} when the run has
 * none); {@code differences} names the rows whose values are not all equal.
 *
 * @param runs the runs, in the order asked for
 * @param hyperparameters {@code name -> run id -> value}
 * @param data {@code train}/{@code validation}/{@code baseModel} {@code -> run id -> sha256 or URI}
 * @param metrics final metric {@code -> run id -> value}
 * @param differences the rows that differ, as {@code hyperparameters.NAME}, {@code data.NAME} or
 *     {@code metrics.NAME}
 */
public record ExperimentComparison(
    List<ExperimentRun> runs,
    Map<String, Map<Long, Object>> hyperparameters,
    Map<String, Map<Long, Object>> data,
    Map<String, Map<Long, Object>> metrics,
    List<String> differences) {}
