package dev.lifecycle.worker.web;

import static dev.lifecycle.worker.web.Html.escape;

import java.util.List;

/** The list of recent runs at {@code /runs}, each linking to its page. */
final class RunIndexPage {
  private RunIndexPage() {}

  static String render(List<RecentRuns.Run> runs, long now) {
    StringBuilder html = new StringBuilder("<main>\n<h1>Runs</h1>\n");
    if (runs.isEmpty()) {
      html.append(
          "<p class=\"muted\">No pipeline run started in the last 30 days. Start one with"
              + " <code>./lifecycle run abalone</code>.</p>\n");
    } else {
      html.append(
          "<table class=\"runs\"><thead><tr><th>Run</th><th>Pipeline</th><th>State</th>"
              + "<th>Started</th><th>Duration</th></tr></thead><tbody>\n");
      for (RecentRuns.Run run : runs) {
        long end = run.closedAt() == null ? now : run.closedAt();
        html.append("<tr><td><a href=\"/runs/")
            .append(Html.path(run.workflowId()))
            .append("\">")
            .append(escape(run.workflowId()))
            .append("</a></td><td>")
            .append(escape(run.pipeline()))
            .append("</td><td>")
            .append(RunPage.state(run.status()))
            .append("</td><td>")
            .append(Html.time(run.startedAt()))
            .append("</td><td>")
            .append(Html.duration(Math.max(0, end - run.startedAt())))
            .append("</td></tr>\n");
      }
      html.append("</tbody></table>\n");
    }
    html.append("</main>");
    return Html.page("Lifecycle runs", html.toString());
  }
}
