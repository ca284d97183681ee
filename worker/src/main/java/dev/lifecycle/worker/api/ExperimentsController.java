package dev.lifecycle.worker.api;

import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.store.ExperimentComparison;
import dev.lifecycle.activities.store.ExperimentRun;
import dev.lifecycle.activities.store.ExperimentStatus;
import dev.lifecycle.activities.store.ExperimentStore;
import dev.lifecycle.activities.store.MetricDirection;
import dev.lifecycle.activities.store.UnknownExperimentRunException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Experiment tracking over REST: the recorded training runs, one run with its per-epoch metrics,
 * runs side by side, and the best run by a metric. Errors are {@code {"error": ...}}: 404 for an
 * unknown run, 400 for a bad query naming the parameter.
 */
@Controller("/api/experiments")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ExperimentsController {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;

  private final ExperimentStore experiments;

  ExperimentsController(LifecycleActivities activities) {
    this.experiments = activities.metadata().experiments();
  }

  /** Runs newest first, optionally of one pipeline and in one status. */
  @Get
  public List<ExperimentRunView> list(
      @Nullable @QueryValue String pipeline,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue String limit) {
    int max = limit == null ? DEFAULT_LIMIT : parseLimit(limit);
    return experiments.list(blankToNull(pipeline), parseStatus(status), max).stream()
        .map(run -> ExperimentRunView.of(run, null))
        .toList();
  }

  /** One run with its per-epoch metrics, the data for its learning curves. */
  @Get("/runs/{id}")
  public ExperimentRunView run(@PathVariable String id) {
    long runId = parseId(id, "run id");
    ExperimentRun run =
        experiments
            .get(runId)
            .orElseThrow(
                () ->
                    new HttpStatusException(
                        HttpStatus.NOT_FOUND,
                        new UnknownExperimentRunException(List.of(runId)).getMessage()));
    return ExperimentRunView.of(run, experiments.epochs(runId));
  }

  /**
   * Two or more runs ({@code ?runs=3,5,8}) side by side: hyperparameters, data version, base model,
   * final metrics, and the rows that differ.
   */
  @Get("/compare")
  public ExperimentComparison compare(@Nullable @QueryValue String runs) {
    if (runs == null || runs.isBlank()) {
      throw badRequest(
          "Query parameter 'runs' is missing: list two or more run ids, e.g. runs=3,5");
    }
    List<Long> ids = new ArrayList<>();
    for (String part : Arrays.asList(runs.split(","))) {
      ids.add(parseId(part.strip(), "run id in 'runs'"));
    }
    try {
      return experiments.compare(ids);
    } catch (UnknownExperimentRunException e) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw badRequest(e.getMessage());
    }
  }

  /**
   * The succeeded run with the best final {@code metric}; {@code direction} is {@code min} or
   * {@code max}, inferred from the metric's name when absent ({@link MetricDirection#infer}).
   */
  @Get("/best")
  public ExperimentRunView best(
      @Nullable @QueryValue String pipeline,
      @Nullable @QueryValue String metric,
      @Nullable @QueryValue String direction) {
    if (metric == null || metric.isBlank()) {
      throw badRequest("Query parameter 'metric' is missing, e.g. metric=validation_loss");
    }
    MetricDirection way;
    try {
      way = direction == null || direction.isBlank() ? null : MetricDirection.parse(direction);
    } catch (IllegalArgumentException e) {
      throw badRequest(e.getMessage());
    }
    String only = blankToNull(pipeline);
    ExperimentRun best;
    try {
      best =
          experiments
              .best(only, metric, way)
              .orElseThrow(
                  () ->
                      new HttpStatusException(
                          HttpStatus.NOT_FOUND,
                          "No succeeded training run"
                              + (only == null ? "" : " of pipeline '" + only + "'")
                              + " to rank"));
    } catch (IllegalArgumentException e) {
      throw badRequest(e.getMessage());
    }
    return ExperimentRunView.of(best, experiments.epochs(best.id()));
  }

  private static int parseLimit(String limit) {
    try {
      int value = Integer.parseInt(limit.strip());
      if (value >= 1 && value <= MAX_LIMIT) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below with the accepted range.
    }
    throw badRequest("Query parameter 'limit' must be 1 to " + MAX_LIMIT + ", got '" + limit + "'");
  }

  private static ExperimentStatus parseStatus(String status) {
    if (status == null || status.isBlank()) {
      return null;
    }
    try {
      return ExperimentStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw badRequest(
          "Unknown status '"
              + status
              + "'. Statuses: "
              + Arrays.stream(ExperimentStatus.values())
                  .map(s -> s.name().toLowerCase(Locale.ROOT))
                  .toList());
    }
  }

  private static long parseId(String id, String what) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw badRequest("Bad " + what + " '" + id + "': run ids are numbers");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static HttpStatusException badRequest(String message) {
    return new HttpStatusException(HttpStatus.BAD_REQUEST, message);
  }
}
