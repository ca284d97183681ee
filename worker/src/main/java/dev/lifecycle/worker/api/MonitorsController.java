package dev.lifecycle.worker.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.monitoring.MonitoringActivitiesImpl;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.worker.temporal.Monitors;
import dev.lifecycle.worker.temporal.RunNotFoundException;
import dev.lifecycle.worker.temporal.RunRequestException;
import dev.lifecycle.workflows.monitoring.MonitoringState;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The monitors of deployments over REST: which deployments are watched, a monitor's status
 * (schedule, counters, last report summary), pause / resume / run-now, and the last report with its
 * plots. Errors are {@code {"error": ...}}: 404 for a deployment without an open monitor or a
 * report file that does not exist, 400 for an unknown signal.
 */
@Controller("/api/monitors")
@ExecuteOn(TaskExecutors.BLOCKING)
public class MonitorsController {
  private final Monitors monitors;
  private final ArtifactStore artifacts;

  MonitorsController(Monitors monitors, LifecycleActivities activities) {
    this.monitors = monitors;
    this.artifacts = activities.artifacts();
  }

  /** The deployments with an open monitor. */
  @Get
  public Map<String, List<String>> list() {
    return Map.of("deployments", monitors.deployments());
  }

  /** The monitor's {@code status} query. */
  @Get("/{deployment}")
  public MonitoringState status(@PathVariable String deployment) {
    return call(() -> monitors.status(deployment));
  }

  /** Sends {@code pause}, {@code resume} or {@code run-now}: 202 once the monitor has it. */
  @Post("/{deployment}/{signal}")
  public HttpResponse<Map<String, String>> signal(
      @PathVariable String deployment, @PathVariable String signal) {
    call(
        () -> {
          monitors.signal(deployment, signal);
          return null;
        });
    return HttpResponse.accepted().body(Map.of("deployment", deployment, "signal", signal));
  }

  /** The last check's full report ({@code report.json}: violations, statistics, plot index). */
  @Get("/{deployment}/report")
  public JsonNode report(@PathVariable String deployment) {
    Path dir = lastReport(deployment);
    try {
      return PlanJson.lenient()
          .readTree(dir.resolve(MonitoringActivitiesImpl.REPORT_FILE).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the report in " + dir, e);
    }
  }

  /** One plot of the last report, by the file name its {@code plots} index gives. */
  @Get(value = "/{deployment}/report/{file}", produces = "image/svg+xml")
  public HttpResponse<byte[]> plot(@PathVariable String deployment, @PathVariable String file) {
    if (!file.matches("[A-Za-z0-9._-]+\\.svg") || file.startsWith(".")) {
      throw new HttpStatusException(
          HttpStatus.BAD_REQUEST, "Report file '" + file + "' is not a plot name (name.svg)");
    }
    Path plot = lastReport(deployment).resolve(file);
    if (!Files.isRegularFile(plot)) {
      throw new HttpStatusException(
          HttpStatus.NOT_FOUND,
          "The last report of '" + deployment + "' has no plot '" + file + "'");
    }
    try {
      return HttpResponse.ok(Files.readAllBytes(plot)).contentType(MediaType.of("image/svg+xml"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + plot, e);
    }
  }

  private Path lastReport(String deployment) {
    MonitoringState state = call(() -> monitors.status(deployment));
    if (state.lastReport() == null || state.lastReport().report() == null) {
      throw new HttpStatusException(
          HttpStatus.NOT_FOUND,
          "The monitor of '" + deployment + "' has no report yet: no check has run");
    }
    Path dir = artifacts.resolve(state.lastReport().report());
    if (!Files.isDirectory(dir)) {
      throw new HttpStatusException(
          HttpStatus.NOT_FOUND,
          "The last report of '"
              + deployment
              + "' is a file from an older version of Lifecycle, with no plots: "
              + dir);
    }
    return dir;
  }

  private static <T> T call(Supplier<T> action) {
    try {
      return action.get();
    } catch (RunNotFoundException e) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
    } catch (RunRequestException e) {
      throw new HttpStatusException(HttpStatus.CONFLICT, e.getMessage());
    }
  }
}
