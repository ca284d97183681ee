package dev.lifecycle.activities.evaluation.plot;

import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart of two distributions over the same bins or categories — the baseline's and a
 * window's — as shares of their totals, so that drift is seen at a glance. Used by the monitoring
 * reports; deterministic output (the report is content-addressed).
 */
public final class DistributionChart {
  private static final String BASELINE = "#9ca3af";
  private static final String WINDOW = "#2563eb";
  private static final double LEFT = 64;
  private static final double TOP = 76;
  private static final double PLOT_HEIGHT = 260;
  private static final double CHAR_WIDTH = 6.2;

  private DistributionChart() {}

  /**
   * Renders the chart.
   *
   * @param title e.g. the feature's name
   * @param subtitle e.g. the drift statistics
   * @param labels one per bin or category
   * @param baseline counts of the baseline, one per label
   * @param window counts of the window, one per label
   */
  public static String render(
      String title, String subtitle, List<String> labels, long[] baseline, long[] window) {
    int k = labels.size();
    if (baseline.length != k || window.length != k) {
      throw new IllegalArgumentException(
          "labels, baseline and window counts differ in length: "
              + k
              + ", "
              + baseline.length
              + ", "
              + window.length);
    }
    double[] b = shares(baseline);
    double[] w = shares(window);
    double max = 0.01;
    for (int i = 0; i < k; i++) {
      max = Math.max(max, Math.max(b[i], w[i]));
    }
    double group = Math.max(18, Math.min(64, 620.0 / Math.max(1, k)));
    int longest = labels.stream().mapToInt(String::length).max().orElse(1);
    boolean rotate = longest * CHAR_WIDTH > group - 4;
    double labelSpace = rotate ? Math.min(140, longest * CHAR_WIDTH) * 0.72 + 16 : 24;
    double width = Math.max(LEFT + group * k + 40, 40 + 6.4 * Math.max(title.length(), 48));
    double height = TOP + PLOT_HEIGHT + labelSpace + 30;
    double bottom = TOP + PLOT_HEIGHT;

    Svg svg = new Svg(width, height, title);
    svg.label(20, 28, title, "font-size", 17, "font-weight", 600, "fill", Svg.TEXT);
    svg.label(20, 47, subtitle, "font-size", 12, "fill", Svg.MUTED);
    legend(svg, width - 200, 62);

    svg.open("g", "class", "axis", "font-size", 11, "fill", Svg.MUTED, "text-anchor", "end");
    for (int t = 0; t <= 4; t++) {
      double share = max * t / 4;
      double y = bottom - PLOT_HEIGHT * t / 4;
      svg.empty("line", "x1", LEFT, "x2", LEFT + group * k, "y1", y, "y2", y, "stroke", Svg.GRID);
      svg.label(LEFT - 6, y + 4, String.format(Locale.ROOT, "%.0f%%", share * 100));
    }
    svg.close("g");

    double bar = group * 0.38;
    svg.open("g", "class", "bars");
    for (int i = 0; i < k; i++) {
      double x = LEFT + i * group + group * 0.1;
      bar(svg, x, bar, b[i], max, bottom, BASELINE, labels.get(i), "baseline", baseline[i]);
      bar(svg, x + bar, bar, w[i], max, bottom, WINDOW, labels.get(i), "window", window[i]);
    }
    svg.close("g");

    svg.open("g", "class", "labels", "font-size", 10, "fill", Svg.TEXT);
    for (int i = 0; i < k; i++) {
      double x = LEFT + i * group + group / 2;
      String label =
          labels.get(i).length() > 22 ? labels.get(i).substring(0, 21) + "…" : labels.get(i);
      if (rotate) {
        svg.label(
            x,
            bottom + 12,
            label,
            "text-anchor",
            "end",
            "transform",
            "rotate(-45 " + Svg.num(x) + " " + Svg.num(bottom + 12) + ")");
      } else {
        svg.label(x, bottom + 16, label, "text-anchor", "middle");
      }
    }
    svg.close("g");
    return svg.finish();
  }

  private static void bar(
      Svg svg,
      double x,
      double width,
      double share,
      double max,
      double bottom,
      String colour,
      String label,
      String series,
      long count) {
    double h = PLOT_HEIGHT * share / max;
    svg.open("rect", "x", x, "y", bottom - h, "width", width, "height", h, "fill", colour);
    svg.text(
        "title",
        String.format(Locale.ROOT, "%s, %s: %d (%.2f%%)", label, series, count, share * 100));
    svg.close("rect");
  }

  private static void legend(Svg svg, double x, double y) {
    svg.empty("rect", "x", x, "y", y - 10, "width", 12, "height", 12, "fill", BASELINE);
    svg.label(x + 18, y, "baseline", "font-size", 12, "fill", Svg.TEXT);
    svg.empty("rect", "x", x + 96, "y", y - 10, "width", 12, "height", 12, "fill", WINDOW);
    svg.label(x + 114, y, "window", "font-size", 12, "fill", Svg.TEXT);
  }

  private static double[] shares(long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    double[] shares = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      shares[i] = total == 0 ? 0 : (double) counts[i] / total;
    }
    return shares;
  }
}
