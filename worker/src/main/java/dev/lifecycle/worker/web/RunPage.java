package dev.lifecycle.worker.web;

import static dev.lifecycle.worker.web.Html.escape;

import dev.lifecycle.activities.evaluation.plot.EvaluationPlots;
import dev.lifecycle.activities.store.EpochMetrics;
import dev.lifecycle.activities.store.ExperimentRun;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepProgress;
import dev.lifecycle.workflows.StepState;
import dev.lifecycle.workflows.StepStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The page of one run: its state, every step with state, duration and summary, live training
 * progress (epoch, losses, ETA), learning curves from the experiment store, and the evaluation
 * reports' plots. Rendered on the server, so that it reads without script; a small script fetches
 * {@code /runs/{workflowId}/live} again while the run is live.
 */
final class RunPage {
  private RunPage() {}

  /** What the experiment store knows of one train step. */
  record Training(ExperimentRun experiment, List<EpochMetrics> epochs) {}

  /**
   * The data of a page.
   *
   * @param workflowId the run's workflow id
   * @param status its {@code status} query
   * @param training per train step, its experiment (steps without one are absent)
   * @param plots per step with an evaluation report, the report's plot files (SVG)
   * @param now the time the page is drawn (epoch millis), for running steps' durations
   */
  record Data(
      String workflowId,
      RunStatus status,
      Map<String, Training> training,
      Map<String, List<String>> plots,
      long now) {}

  /** The whole page. */
  static String render(Data data) {
    String title =
        (data.status().pipeline() == null ? "Run" : data.status().pipeline())
            + " · "
            + data.workflowId();
    return Html.page(title, main(data));
  }

  /** Only the {@code <main>} element, which the page's script swaps in while the run is live. */
  static String main(Data data) {
    RunStatus status = data.status();
    String id = Html.path(data.workflowId());
    StringBuilder html = new StringBuilder();
    html.append("<main data-live=\"/runs/")
        .append(id)
        .append("/live\" data-state=\"")
        .append(status.state())
        .append("\">\n");
    html.append("<p><a href=\"/runs\">All runs</a> · <a href=\"/api/runs/")
        .append(id)
        .append("\">status as JSON</a></p>\n");
    html.append("<h1>")
        .append(escape(status.pipeline() == null ? "Run" : status.pipeline()))
        .append(" <span class=\"muted\">")
        .append(escape(data.workflowId()))
        .append("</span> ")
        .append(state(status.state().name()))
        .append("</h1>\n<p class=\"muted\">Started ")
        .append(Html.time(status.startedAt()));
    if (status.endedAt() != null) {
      html.append(", ended ")
          .append(Html.time(status.endedAt()))
          .append(" (")
          .append(Html.duration(status.endedAt() - status.startedAt()))
          .append(")");
    }
    html.append("</p>\n");
    if (status.message() != null && !status.message().isBlank()) {
      html.append("<p>").append(escape(status.message())).append("</p>\n");
    }
    if (!status.parameters().isEmpty()) {
      html.append("<p class=\"muted\">Parameters: ")
          .append(
              status.parameters().entrySet().stream()
                  .map(
                      e -> "<code>" + escape(e.getKey()) + " = " + escape(e.getValue()) + "</code>")
                  .collect(Collectors.joining(" ")))
          .append("</p>\n");
    }
    steps(html, data);
    for (StepStatus step : status.steps()) {
      if (step.kind().equals("train")
          && (step.progress() != null || data.training().containsKey(step.name()))) {
        training(html, data, step);
      }
    }
    for (Map.Entry<String, List<String>> report : data.plots().entrySet()) {
      plots(html, id, report.getKey(), report.getValue());
    }
    html.append("</main>");
    return html.toString();
  }

  private static void steps(StringBuilder html, Data data) {
    html.append("<h2>Steps</h2>\n<table class=\"steps\"><thead><tr><th>Step</th><th>Kind</th>")
        .append("<th>State</th><th>Duration</th><th>Summary</th></tr></thead><tbody>\n");
    for (StepStatus step : data.status().steps()) {
      html.append("<tr id=\"step-")
          .append(escape(step.name()))
          .append("\"><td>")
          .append(step.parent() == null ? "" : "&nbsp;&nbsp;↳ ")
          .append(escape(step.name()))
          .append("</td><td>")
          .append(escape(step.kind()))
          .append("</td><td>")
          .append(state(step.state().name()))
          .append("</td><td>");
      if (step.startedAt() != null) {
        long end = step.endedAt() != null ? step.endedAt() : data.now();
        html.append(Html.duration(Math.max(0, end - step.startedAt())));
      }
      html.append("</td><td>");
      if (!step.metrics().isEmpty()) {
        html.append("<div>")
            .append(
                step.metrics().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> escape(e.getKey()) + " = " + Html.number(e.getValue()))
                    .collect(Collectors.joining(", ")))
            .append("</div>");
      }
      if (step.state() == StepState.RUNNING && step.progress() != null) {
        html.append("<div>").append(escape(progressLine(step.progress()))).append("</div>");
      }
      if (step.message() != null && !step.message().isBlank()) {
        html.append("<div class=\"muted\">").append(escape(step.message())).append("</div>");
      }
      html.append("</td></tr>\n");
    }
    html.append("</tbody></table>\n");
  }

  private static void training(StringBuilder html, Data data, StepStatus step) {
    html.append("<section class=\"training\" id=\"training-")
        .append(escape(step.name()))
        .append("\"><h2>Training: ")
        .append(escape(step.name()))
        .append("</h2>\n");
    StepProgress progress = step.progress();
    if (progress != null) {
      double done =
          progress.totalEpochs() == 0 ? 0 : progress.epoch() / (double) progress.totalEpochs();
      html.append("<div class=\"progress\"><div class=\"bar\"><span style=\"width:")
          .append(String.format(Locale.ROOT, "%.1f", 100 * Math.min(1, done)))
          .append("%\"></span></div><div>")
          .append(escape(progressLine(progress)))
          .append("</div></div>\n");
    }
    Training training = data.training().get(step.name());
    if (training != null) {
      ExperimentRun experiment = training.experiment();
      html.append("<p>Experiment <a href=\"/api/experiments/runs/")
          .append(experiment.id())
          .append("\">#")
          .append(experiment.id())
          .append("</a> (")
          .append(escape(experiment.status()))
          .append("; <code>./lifecycle experiments show ")
          .append(experiment.id())
          .append("</code>)</p>\n");
      if (!training.epochs().isEmpty()) {
        html.append("<figure class=\"curves\">").append(curves(training)).append("</figure>\n");
      }
    }
    html.append("</section>\n");
  }

  /** The learning curves of a run's epochs, as inline SVG. */
  static String curves(Training training) {
    List<EpochMetrics> epochs = training.epochs();
    double[] x = new double[epochs.size()];
    double[] train = new double[epochs.size()];
    Double[] validation = new Double[epochs.size()];
    for (int i = 0; i < epochs.size(); i++) {
      x[i] = epochs.get(i).epoch();
      train[i] = epochs.get(i).trainLoss();
      validation[i] = epochs.get(i).validationLoss();
    }
    String subtitle =
        epochs.size()
            + (epochs.size() == 1 ? " epoch" : " epochs")
            + " · experiment #"
            + training.experiment().id();
    String svg = EvaluationPlots.learningCurves(subtitle, x, train, validation);
    // Inline, without the XML declaration a standalone file carries.
    return svg.startsWith("<?xml") ? svg.substring(svg.indexOf("?>") + 2).strip() : svg;
  }

  private static void plots(StringBuilder html, String id, String step, List<String> files) {
    html.append("<section class=\"report\" id=\"report-")
        .append(escape(step))
        .append("\"><h2>Evaluation: ")
        .append(escape(step))
        .append("</h2>\n<div class=\"plots\">");
    for (String file : files) {
      String src = "/runs/" + id + "/reports/" + Html.path(step) + "/" + Html.path(file);
      html.append("<figure><a href=\"")
          .append(src)
          .append("\"><img alt=\"")
          .append(escape(file))
          .append("\" src=\"")
          .append(src)
          .append("\"></a><figcaption class=\"muted\">")
          .append(escape(file))
          .append("</figcaption></figure>");
    }
    html.append("</div></section>\n");
  }

  /** E.g. {@code epoch 3/6 · loss 0.1234 · validation loss 0.1456 · ETA 12s}. */
  static String progressLine(StepProgress progress) {
    StringBuilder line =
        new StringBuilder(
            String.format(Locale.ROOT, "epoch %d/%d", progress.epoch(), progress.totalEpochs()));
    if (progress.trainLoss() != null) {
      line.append(" · loss ").append(Html.number(progress.trainLoss()));
    }
    if (progress.validationLoss() != null) {
      line.append(" · validation loss ").append(Html.number(progress.validationLoss()));
    }
    if (progress.etaMillis() != null && progress.epoch() < progress.totalEpochs()) {
      line.append(" · ETA ").append(Html.duration(progress.etaMillis()));
    }
    line.append(" · trained ").append(Html.duration(progress.elapsedMillis()));
    if (progress.attempt() > 1) {
      line.append(" · attempt ").append(progress.attempt());
    }
    return line.toString();
  }

  static String state(String state) {
    return "<span class=\"state state-" + escape(state) + "\">" + escape(state) + "</span>";
  }
}
