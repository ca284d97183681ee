package dev.lifecycle.worker.web;

import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.store.ExperimentRun;
import dev.lifecycle.activities.store.ExperimentStore;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.worker.temporal.RunNotFoundException;
import dev.lifecycle.worker.temporal.RunRequestException;
import dev.lifecycle.worker.temporal.TemporalSettings;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepStatus;
import dev.lifecycle.workflows.activities.ArtifactRef;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The run pages. URL scheme, for other pages to link to:
 *
 * <ul>
 *   <li>{@code /runs}: recent runs (last 30 days), newest first;
 *   <li>{@code /runs/{workflowId}}: one run (its latest execution), refreshing while it is live;
 *       {@code #step-{name}}, {@code #training-{name}} and {@code #report-{name}} jump to a step's
 *       row, its training section and its evaluation plots;
 *   <li>{@code /runs/{workflowId}/live}: the same page, for the page's own refresh;
 *   <li>{@code /runs/{workflowId}/reports/{step}/{file}}: a plot of a step's evaluation report.
 * </ul>
 */
@Controller("/runs")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RunPagesController {
  private static final Pattern PLOT_FILE = Pattern.compile("[A-Za-z0-9_.-]+\\.svg");
  private static final Duration INDEX_WINDOW = Duration.ofDays(30);
  private static final int INDEX_LIMIT = 100;

  private final PipelineRuns runs;
  private final LifecycleActivities activities;
  private final RecentRuns recent;

  RunPagesController(
      PipelineRuns runs,
      LifecycleActivities activities,
      WorkflowServiceStubs service,
      TemporalSettings settings) {
    this.runs = runs;
    this.activities = activities;
    this.recent = new RecentRuns(service, settings.namespace());
  }

  /** Recent runs. */
  @Get(produces = MediaType.TEXT_HTML)
  public String index() {
    return RunIndexPage.render(recent.list(INDEX_WINDOW, INDEX_LIMIT), System.currentTimeMillis());
  }

  /** One run's page. */
  @Get(value = "/{workflowId}", produces = MediaType.TEXT_HTML)
  public HttpResponse<String> run(@PathVariable String workflowId) {
    return page(workflowId, true);
  }

  /** The run page's {@code <main>} part, fetched by the page while the run is live. */
  @Get(value = "/{workflowId}/live", produces = MediaType.TEXT_HTML)
  public HttpResponse<String> live(@PathVariable String workflowId) {
    return page(workflowId, false);
  }

  /** A plot (SVG) of a step's evaluation report. */
  @Get("/{workflowId}/reports/{step}/{file}")
  public HttpResponse<?> plot(
      @PathVariable String workflowId, @PathVariable String step, @PathVariable String file) {
    RunStatus status;
    try {
      status = runs.status(workflowId);
    } catch (RunNotFoundException | RunRequestException e) {
      return notFound("Run not found", e.getMessage());
    }
    StepStatus producer = status.step(step);
    ArtifactRef report = producer == null ? null : producer.artifacts().get("report");
    if (report == null) {
      return notFound(
          "No report",
          "Run '" + workflowId + "' has no step '" + step + "' with an evaluation report.");
    }
    List<String> files = plotFiles(report);
    if (!PLOT_FILE.matcher(file).matches() || !files.contains(file)) {
      return notFound(
          "No such plot",
          "The report of step '" + step + "' has no plot '" + file + "'. Plots: " + files);
    }
    try {
      byte[] svg = Files.readAllBytes(activities.artifacts().resolve(report).resolve(file));
      return HttpResponse.ok(svg)
          .contentType("image/svg+xml")
          .header("X-Content-Type-Options", "nosniff")
          .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    } catch (IOException e) {
      return notFound("No such plot", "Cannot read plot '" + file + "': " + e.getMessage());
    }
  }

  private HttpResponse<String> page(String workflowId, boolean whole) {
    RunStatus status;
    try {
      status = runs.status(workflowId);
    } catch (RunNotFoundException e) {
      return notFound("Run not found", e.getMessage());
    } catch (RunRequestException e) {
      return HttpResponse.<String>serverError()
          .status(503)
          .contentType(MediaType.TEXT_HTML_TYPE)
          .body(Html.page("Run not answering", message("Run not answering", e.getMessage())));
    }
    RunPage.Data data =
        new RunPage.Data(
            workflowId,
            status,
            training(workflowId, status),
            plots(status),
            System.currentTimeMillis());
    return HttpResponse.ok(whole ? RunPage.render(data) : RunPage.main(data))
        .contentType(MediaType.TEXT_HTML_TYPE);
  }

  private Map<String, RunPage.Training> training(String workflowId, RunStatus status) {
    Map<String, RunPage.Training> training = new LinkedHashMap<>();
    List<StepStatus> trainSteps =
        status.steps().stream().filter(s -> s.kind().equals("train")).toList();
    if (trainSteps.isEmpty()) {
      return training;
    }
    String runId = runs.stub(workflowId).describe().getExecution().getRunId();
    ExperimentStore experiments = activities.metadata().experiments();
    for (StepStatus step : trainSteps) {
      Optional<ExperimentRun> experiment = experiments.byRun(runId, step.name());
      experiment.ifPresent(
          e -> training.put(step.name(), new RunPage.Training(e, experiments.epochs(e.id()))));
    }
    return training;
  }

  private Map<String, List<String>> plots(RunStatus status) {
    Map<String, List<String>> plots = new LinkedHashMap<>();
    for (StepStatus step : status.steps()) {
      ArtifactRef report = step.artifacts().get("report");
      if (report != null) {
        List<String> files = plotFiles(report);
        if (!files.isEmpty()) {
          plots.put(step.name(), files);
        }
      }
    }
    return plots;
  }

  /** The SVG files of a report directory, sorted; none when it is not a directory. */
  private List<String> plotFiles(ArtifactRef report) {
    Path dir;
    try {
      dir = activities.artifacts().resolve(report);
    } catch (RuntimeException e) {
      return List.of();
    }
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(name -> PLOT_FILE.matcher(name).matches())
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static <T> HttpResponse<T> notFound(String title, String text) {
    @SuppressWarnings("unchecked")
    T body = (T) Html.page(title, message(title, text));
    return HttpResponse.<T>notFound().contentType(MediaType.TEXT_HTML_TYPE).body(body);
  }

  private static String message(String title, String text) {
    return "<main><p><a href=\"/runs\">All runs</a></p><h1>"
        + Html.escape(title)
        + "</h1><p>"
        + Html.escape(text)
        + "</p></main>";
  }
}
