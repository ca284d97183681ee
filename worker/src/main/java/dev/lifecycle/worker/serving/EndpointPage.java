package dev.lifecycle.worker.serving;

import dev.lifecycle.activities.deployment.serving.EndpointStatus;
import dev.lifecycle.activities.deployment.serving.InputSchema;
import dev.lifecycle.activities.deployment.serving.RollbackEvent;
import java.util.Locale;
import java.util.Map;

/** The endpoint page: what it serves, its traffic split, counters, latencies and rollbacks. */
final class EndpointPage {
  private EndpointPage() {}

  static String render(EndpointStatus s) {
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Endpoint ")
        .append(escape(s.name()))
        .append("</title><style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}")
        .append("table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid")
        .append(" #ddd;text-align:left}code{background:#f4f4f4;padding:.1rem .3rem}</style>")
        .append("</head><body><h1>Endpoint <code>")
        .append(escape(s.name()))
        .append("</code></h1><p><a href=\"/monitors/")
        .append(escape(s.name()))
        .append("\">Monitor: drift and quality reports, alerts, retraining</a></p><table>");
    row(html, "model", s.modelName() + " v" + s.version());
    row(html, "mode", s.mode());
    row(
        html,
        "rollout",
        s.candidateVersion() == null ? "none" : s.rollout() + " of v" + s.candidateVersion());
    StringBuilder split = new StringBuilder();
    for (Map.Entry<String, Integer> e : s.trafficPercent().entrySet()) {
      split
          .append(split.length() == 0 ? "" : ", ")
          .append("v")
          .append(e.getKey())
          .append(" ")
          .append(e.getValue())
          .append("%");
    }
    row(html, "traffic", split.toString());
    row(
        html,
        "batching",
        s.maxBatchSize() <= 1 ? "off" : "up to " + s.maxBatchSize() + " requests");
    row(
        html,
        "capture",
        String.format(Locale.ROOT, "%.0f%% of requests", 100 * s.captureFraction())
            + (s.captureDropped() == 0
                ? ""
                : String.format(
                    Locale.ROOT,
                    "; %,d captured rows dropped (queue full or database refused them)",
                    s.captureDropped())));
    if (s.mode().equals("SERVERLESS")) {
      row(html, "loaded", s.loaded() ? "yes" : "no (loads on the next request)");
      row(
          html,
          "cold starts",
          s.coldStarts()
              + (s.lastColdStartMillis() == null
                  ? ""
                  : ", last " + s.lastColdStartMillis() + " ms"));
    }
    StringBuilder inputs = new StringBuilder();
    for (InputSchema.Field f : s.inputs()) {
      inputs
          .append(inputs.length() == 0 ? "" : ", ")
          .append(f.name())
          .append(" (")
          .append(f.type())
          .append(f.categories() == null ? "" : ": " + String.join(" | ", f.categories()))
          .append(")");
    }
    row(
        html,
        s.transformsRaw() ? "raw inputs" : "features",
        inputs.length() == 0 ? String.join(", ", s.features()) : inputs.toString());
    if (s.transformsRaw()) {
      row(
          html,
          "feature transform",
          "applied before the model, as the features step fitted it; an unseen category encodes"
              + " as all zeros");
    }
    html.append("</table><h2>Versions</h2><table><tr><th>version</th><th>requests</th>")
        .append("<th>errors</th><th>p50 ms</th><th>p99 ms</th></tr>");
    for (EndpointStatus.VersionStats v : s.versions()) {
      html.append("<tr><td>v")
          .append(v.version())
          .append("</td><td>")
          .append(v.requests())
          .append("</td><td>")
          .append(v.errors())
          .append("</td><td>")
          .append(ms(v.p50Millis()))
          .append("</td><td>")
          .append(ms(v.p99Millis()))
          .append("</td></tr>");
    }
    html.append("</table><h2>Rollbacks</h2>");
    if (s.rollbacks().isEmpty()) {
      html.append("<p>None.</p>");
    } else {
      html.append("<table><tr><th>when</th><th>from</th><th>back to</th><th>why</th></tr>");
      for (RollbackEvent r : s.rollbacks()) {
        html.append("<tr><td>")
            .append(escape(r.at().toString()))
            .append("</td><td>v")
            .append(r.fromVersion())
            .append("</td><td>v")
            .append(r.backToVersion())
            .append("</td><td>")
            .append(escape(r.reason()))
            .append("</td></tr>");
      }
      html.append("</table>");
    }
    html.append("<p>Invoke: <code>POST /endpoints/")
        .append(escape(s.name()))
        .append("/invocations</code> with <code>{\"instances\": [{...}]}</code>. Status as JSON:")
        .append(" <code>GET /endpoints/")
        .append(escape(s.name()))
        .append("</code>.</p></body></html>");
    return html.toString();
  }

  private static void row(StringBuilder html, String name, String value) {
    html.append("<tr><th>")
        .append(escape(name))
        .append("</th><td>")
        .append(escape(value))
        .append("</td></tr>");
  }

  private static String ms(Double value) {
    return value == null ? "–" : String.format(Locale.ROOT, "%.2f", value);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
