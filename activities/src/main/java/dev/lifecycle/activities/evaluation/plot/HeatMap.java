package dev.lifecycle.activities.evaluation.plot;

import java.util.List;
import java.util.Locale;

/**
 * A confusion matrix as a grid of cells shaded by count on a sequential blue scale (matplotlib's
 * "Blues"), with the count written in each cell, class names on both axes and a colour bar.
 */
final class HeatMap {
  /** matplotlib's 9-step "Blues", light to dark. */
  private static final int[] BLUES = {
    0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b
  };

  private static final double CHAR_WIDTH = 6.8;

  private HeatMap() {}

  static String render(String title, String subtitle, List<String> labels, long[][] counts) {
    int k = labels.size();
    long max = 1;
    for (long[] row : counts) {
      for (long c : row) {
        max = Math.max(max, c);
      }
    }
    double cell = Math.max(14, Math.min(96, 540.0 / k));
    double grid = cell * k;
    int longest = labels.stream().mapToInt(String::length).max().orElse(1);
    double labelWidth = Math.min(160, longest * CHAR_WIDTH) + 10;
    boolean rotate = longest * CHAR_WIDTH > cell - 4;
    double bottomLabels = rotate ? labelWidth * 0.72 + 10 : 22;
    double left = 40 + labelWidth;
    double top = 70;
    double width =
        Math.max(left + grid + 110, 40 + 6.4 * Math.max(title.length(), subtitle.length()));
    double height = top + grid + bottomLabels + 40;

    Svg svg = new Svg(width, height, title);
    svg.label(20, 28, title, "font-size", 17, "font-weight", 600, "fill", Svg.TEXT);
    svg.label(20, 47, subtitle, "font-size", 12, "fill", Svg.MUTED);

    double fontSize = Math.min(14, cell / 3.2);
    svg.open("g", "class", "cells", "font-size", Svg.num(fontSize), "text-anchor", "middle");
    for (int a = 0; a < k; a++) {
      long rowTotal = 0;
      for (long c : counts[a]) {
        rowTotal += c;
      }
      for (int p = 0; p < k; p++) {
        long count = counts[a][p];
        double t = (double) count / max;
        double x = left + p * cell;
        double y = top + a * cell;
        svg.open("g");
        svg.text(
            "title",
            String.format(
                Locale.ROOT,
                "actual %s, predicted %s: %,d%s",
                labels.get(a),
                labels.get(p),
                count,
                rowTotal == 0
                    ? ""
                    : String.format(
                        Locale.ROOT, " (%.1f%% of %s)", 100.0 * count / rowTotal, labels.get(a))));
        svg.empty(
            "rect",
            "class",
            "cell",
            "x",
            x,
            "y",
            y,
            "width",
            cell,
            "height",
            cell,
            "fill",
            colour(t),
            "stroke",
            "#ffffff",
            "stroke-width",
            1);
        if (cell >= 18) {
          svg.label(
              x + cell / 2,
              y + cell / 2 + fontSize * 0.35,
              String.format(Locale.ROOT, "%,d", count),
              "fill",
              t > 0.55 ? "#ffffff" : Svg.TEXT);
        }
        svg.close("g");
      }
    }
    svg.close("g");

    svg.open("g", "class", "labels", "font-size", 12, "fill", Svg.TEXT);
    for (int a = 0; a < k; a++) {
      svg.label(
          left - 8, top + a * cell + cell / 2 + 4, shorten(labels.get(a)), "text-anchor", "end");
    }
    for (int p = 0; p < k; p++) {
      double x = left + p * cell + cell / 2;
      double y = top + grid + 16;
      if (rotate) {
        svg.label(
            x,
            y,
            shorten(labels.get(p)),
            "text-anchor",
            "end",
            "transform",
            "rotate(-40 " + Svg.num(x) + " " + Svg.num(y) + ")");
      } else {
        svg.label(x, y, labels.get(p), "text-anchor", "middle");
      }
    }
    svg.close("g");
    svg.label(
        left + grid / 2,
        top + grid + bottomLabels + 22,
        "Predicted class",
        "text-anchor",
        "middle",
        "font-size",
        13,
        "fill",
        Svg.TEXT);
    double yMid = top + grid / 2;
    svg.label(
        16,
        yMid,
        "Actual class",
        "text-anchor",
        "middle",
        "font-size",
        13,
        "fill",
        Svg.TEXT,
        "transform",
        "rotate(-90 16 " + Svg.num(yMid) + ")");
    colourBar(svg, left + grid + 24, top, grid, max);
    return svg.finish();
  }

  private static void colourBar(Svg svg, double x, double top, double height, long max) {
    svg.open("defs").open("linearGradient", "id", "scale", "x1", 0, "y1", 1, "x2", 0, "y2", 0);
    for (int i = 0; i < BLUES.length; i++) {
      svg.empty(
          "stop",
          "offset",
          Svg.num(100.0 * i / (BLUES.length - 1)) + "%",
          "stop-color",
          String.format(Locale.ROOT, "#%06x", BLUES[i]));
    }
    svg.close("linearGradient").close("defs");
    svg.empty(
        "rect",
        "class",
        "colour-bar",
        "x",
        x,
        "y",
        top,
        "width",
        14,
        "height",
        height,
        "fill",
        "url(#scale)",
        "stroke",
        Svg.GRID);
    svg.open("g", "font-size", 11, "fill", Svg.MUTED);
    long[] ticks = max >= 4 ? new long[] {0, max / 2, max} : new long[] {0, max};
    for (long t : ticks) {
      double y = top + height - height * t / max;
      svg.empty("line", "x1", x + 14, "y1", y, "x2", x + 18, "y2", y, "stroke", Svg.AXIS);
      svg.label(x + 21, y + 4, String.format(Locale.ROOT, "%,d", t));
    }
    svg.close("g");
  }

  /** The colour of {@code t} in [0, 1], interpolated between the scale's steps. */
  static String colour(double t) {
    double position = Math.max(0, Math.min(1, t)) * (BLUES.length - 1);
    int i = Math.min((int) position, BLUES.length - 2);
    double f = position - i;
    int from = BLUES[i];
    int to = BLUES[i + 1];
    int rgb = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      int a = (from >> shift) & 0xff;
      int b = (to >> shift) & 0xff;
      rgb |= (int) Math.round(a + (b - a) * f) << shift;
    }
    return String.format(Locale.ROOT, "#%06x", rgb);
  }

  private static String shorten(String label) {
    return label.length() <= 24 ? label : label.substring(0, 23) + "…";
  }
}
