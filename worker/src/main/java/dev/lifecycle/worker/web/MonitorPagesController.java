package dev.lifecycle.worker.web;

import static dev.lifecycle.worker.web.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.monitoring.MonitoringActivitiesImpl;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.worker.temporal.Monitors;
import dev.lifecycle.worker.temporal.RunNotFoundException;
import dev.lifecycle.worker.temporal.RunRequestException;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckSummary;
import dev.lifecycle.workflows.monitoring.MonitoringState;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The monitors' pages: {@code /monitors} lists the deployments watched; {@code
 * /monitors/{deployment}} shows one monitor — schedule, counters, the last check's violations with
 * its model-quality and rule results and one distribution plot per feature, and the retraining runs
 * it started (linked to their run pages). The plots come from {@code
 * /api/monitors/{deployment}/report/{file}}.
 */
@Controller("/monitors")
@ExecuteOn(TaskExecutors.BLOCKING)
public class MonitorPagesController {
  private final Monitors monitors;
  private final LifecycleActivities activities;

  MonitorPagesController(Monitors monitors, LifecycleActivities activities) {
    this.monitors = monitors;
    this.activities = activities;
  }

  /** The watched deployments. */
  @Get(produces = MediaType.TEXT_HTML)
  public String index() {
    List<String> deployments = monitors.deployments();
    StringBuilder html = new StringBuilder("<main>\n<h1>Monitors</h1>\n");
    if (deployments.isEmpty()) {
      html.append(
          "<p class=\"muted\">No deployment is monitored. A pipeline's <code>monitor(...)</code>"
              + " step starts one after its deploy step.</p>\n");
    } else {
      html.append("<ul>\n");
      for (String d : deployments) {
        html.append("<li><a href=\"/monitors/")
            .append(Html.path(d))
            .append("\">")
            .append(escape(d))
            .append("</a></li>\n");
      }
      html.append("</ul>\n");
    }
    return Html.page("Lifecycle monitors", html.append("</main>").toString());
  }

  /** One monitor's page; 404 naming the monitor when it does not exist or has ended. */
  @Get(value = "/{deployment}", produces = MediaType.TEXT_HTML)
  public HttpResponse<String> monitor(@PathVariable String deployment) {
    MonitoringState state;
    try {
      state = monitors.status(deployment);
    } catch (RunNotFoundException | RunRequestException e) {
      return HttpResponse.<String>notFound()
          .body(
              Html.page(
                  "No monitor",
                  "<main><h1>No monitor of "
                      + escape(deployment)
                      + "</h1><p>"
                      + escape(e.getMessage())
                      + "</p><p><a href=\"/monitors\">All monitors</a></p></main>"));
    }
    return HttpResponse.ok(render(deployment, state));
  }

  private String render(String deployment, MonitoringState s) {
    StringBuilder html = new StringBuilder("<main>\n<p><a href=\"/monitors\">Monitors</a></p>\n");
    html.append("<h1>Monitor of ")
        .append(escape(deployment))
        .append(" <span class=\"state state-")
        .append(s.paused() ? "WAITING\">PAUSED" : "RUNNING\">WATCHING")
        .append("</span></h1>\n");
    html.append("<table><tbody>\n");
    row(html, "Next check", s.paused() ? "paused" : Html.time(s.nextCheckAt()));
    row(html, "Last check", s.lastCheckAt() == 0 ? "none yet" : Html.time(s.lastCheckAt()));
    row(
        html,
        "Checks",
        s.checks()
            + " ("
            + s.checksWithViolations()
            + " with violations, "
            + s.failedChecks()
            + " could not run)");
    row(html, "Alerts", s.alertsSent() + " sent, " + s.alertFailures() + " webhook failures");
    html.append("<tr><th>Retraining runs</th><td>");
    if (s.retrainRuns().isEmpty()) {
      html.append("none");
    }
    for (String run : s.retrainRuns()) {
      html.append("<a href=\"/runs/")
          .append(Html.path(run))
          .append("\">")
          .append(escape(run))
          .append("</a> ");
    }
    html.append("</td></tr>\n</tbody></table>\n");
    html.append("<p class=\"muted\">Pause, resume or check now: <code>POST /api/monitors/")
        .append(escape(deployment))
        .append("/{pause,resume,run-now}</code></p>\n");
    CheckSummary last = s.lastReport();
    if (last == null) {
      html.append("<h2>Last check</h2><p class=\"muted\">No check has run yet.</p>\n");
      return Html.page("Monitor of " + deployment, html.append("</main>").toString());
    }
    html.append("<h2>Last check: <span class=\"state state-")
        .append(CheckSummary.OK.equals(last.status()) ? "SUCCEEDED" : "FAILED")
        .append("\">")
        .append(escape(last.status()))
        .append("</span></h2>\n<p>")
        .append(last.windowRows())
        .append(" rows, ")
        .append(last.violations())
        .append(" violations</p>\n");
    if (!last.messages().isEmpty()) {
      html.append("<ul>\n");
      for (String m : last.messages()) {
        html.append("<li>").append(escape(m)).append("</li>\n");
      }
      html.append("</ul>\n");
    }
    JsonNode report = report(last);
    if (report != null) {
      details(html, deployment, report);
    }
    return Html.page("Monitor of " + deployment, html.append("</main>").toString());
  }

  private JsonNode report(CheckSummary last) {
    if (last.report() == null) {
      return null;
    }
    try {
      Path dir = activities.artifacts().resolve(last.report());
      Path file = dir.resolve(MonitoringActivitiesImpl.REPORT_FILE);
      return Files.isRegularFile(file) ? PlanJson.lenient().readTree(file.toFile()) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void details(StringBuilder html, String deployment, JsonNode report) {
    JsonNode quality = report.path("modelQuality");
    if (!quality.isMissingNode() && !quality.isNull()) {
      html.append("<h3>Model quality</h3><p>")
          .append(escape(quality.path("verdict").asText()))
          .append(": ")
          .append(escape(quality.path("detail").asText()))
          .append("</p>\n");
    }
    JsonNode rules = report.path("rules");
    if (rules.isArray() && !rules.isEmpty()) {
      html.append("<h3>Rules</h3><table><tbody>\n");
      for (JsonNode r : rules) {
        row(
            html,
            r.path("name").asText(),
            r.path("verdict").asText() + ": " + r.path("detail").asText());
      }
      html.append("</tbody></table>\n");
    }
    JsonNode plots = report.path("plots");
    if (plots.isArray() && !plots.isEmpty()) {
      html.append("<h3>Baseline and window, per feature</h3><div class=\"plots\">\n");
      for (JsonNode plot : plots) {
        html.append("<figure><img alt=\"")
            .append(escape(plot.path("feature").asText()))
            .append("\" src=\"/api/monitors/")
            .append(Html.path(deployment))
            .append("/report/")
            .append(Html.path(plot.path("file").asText()))
            .append("\"></figure>\n");
      }
      html.append("</div>\n");
    }
  }

  private static void row(StringBuilder html, String name, String value) {
    html.append("<tr><th>")
        .append(escape(name))
        .append("</th><td>")
        .append(escape(value))
        .append("</td></tr>\n");
  }
}
