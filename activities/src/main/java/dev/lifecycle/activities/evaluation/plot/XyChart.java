package dev.lifecycle.activities.evaluation.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chart of lines and points on linear axes, with a grid, ticks at round numbers, axis titles and
 * a legend. Lines are thinned to what shows at the drawing's resolution, so a curve over a million
 * thresholds still makes a small file.
 */
final class XyChart {
  static final double WIDTH = 640;
  static final double HEIGHT = 480;
  private static final double LEFT = 72;
  private static final double RIGHT = 24;
  private static final double TOP = 56;
  private static final double BOTTOM = 60;
  private static final int MAX_LEGEND_ENTRIES = 12;

  /** Where the legend sits inside the plot area. */
  enum Corner {
    LOWER_RIGHT,
    LOWER_LEFT,
    UPPER_RIGHT
  }

  private record Series(
      String name,
      double[] x,
      double[] y,
      String color,
      boolean dashed,
      boolean steps,
      boolean points,
      boolean reference) {}

  private final String title;
  private final String subtitle;
  private final String xTitle;
  private final String yTitle;
  private final List<Series> series = new ArrayList<>();
  private double[] xRange;
  private double[] yRange;
  private boolean squareRange;
  private Corner corner = Corner.LOWER_RIGHT;

  XyChart(String title, String subtitle, String xTitle, String yTitle) {
    this.title = title;
    this.subtitle = subtitle;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
  }

  XyChart xRange(double min, double max) {
    xRange = new double[] {min, max};
    return this;
  }

  XyChart yRange(double min, double max) {
    yRange = new double[] {min, max};
    return this;
  }

  /** The same data range on both axes, so that {@code y = x} runs at 45 degrees. */
  XyChart squareRange() {
    squareRange = true;
    return this;
  }

  XyChart legend(Corner corner) {
    this.corner = corner;
    return this;
  }

  /** A line through the points in order; {@code name} null keeps it out of the legend. */
  XyChart line(String name, double[] x, double[] y, String color, boolean dashed) {
    series.add(new Series(name, x, y, color, dashed, false, false, false));
    return this;
  }

  /** A step line: horizontal from each point to the next x, then vertical (steps-post). */
  XyChart steps(String name, double[] x, double[] y, String color) {
    series.add(new Series(name, x, y, color, false, true, false, false));
    return this;
  }

  /**
   * A dashed line {@code y = slope * x + intercept} across the whole plot; it does not widen the
   * axes.
   */
  XyChart reference(String name, double slope, double intercept, String color) {
    series.add(
        new Series(
            name, new double[] {slope}, new double[] {intercept}, color, true, false, false, true));
    return this;
  }

  /** Unconnected points. */
  XyChart points(String name, double[] x, double[] y, String color) {
    series.add(new Series(name, x, y, color, false, false, true, false));
    return this;
  }

  String render() {
    double[] xs = xRange != null ? xRange : dataRange(true);
    double[] ys = yRange != null ? yRange : dataRange(false);
    if (squareRange) {
      double min = Math.min(xs[0], ys[0]);
      double max = Math.max(xs[1], ys[1]);
      xs = new double[] {min, max};
      ys = xs;
    }
    Ticks xTicks = Ticks.of(xs[0], xs[1], 6, xRange == null);
    Ticks yTicks = Ticks.of(ys[0], ys[1], 6, yRange == null);
    double plotWidth = WIDTH - LEFT - RIGHT;
    double plotHeight = HEIGHT - TOP - BOTTOM;
    Scale sx = new Scale(xTicks.min(), xTicks.max(), LEFT, LEFT + plotWidth);
    Scale sy = new Scale(yTicks.min(), yTicks.max(), TOP + plotHeight, TOP);

    Svg svg = new Svg(WIDTH, HEIGHT, title);
    svg.label(LEFT, 26, title, "font-size", 17, "font-weight", 600, "fill", Svg.TEXT);
    if (subtitle != null) {
      svg.label(LEFT, 44, subtitle, "font-size", 12, "fill", Svg.MUTED);
    }
    svg.open("defs")
        .open("clipPath", "id", "plot-area")
        .empty("rect", "x", LEFT, "y", TOP, "width", plotWidth, "height", plotHeight)
        .close("clipPath")
        .close("defs");

    svg.open("g", "class", "grid", "stroke", Svg.GRID, "stroke-width", 1);
    for (double t : xTicks.values()) {
      svg.empty("line", "x1", sx.at(t), "y1", TOP, "x2", sx.at(t), "y2", TOP + plotHeight);
    }
    for (double t : yTicks.values()) {
      svg.empty("line", "x1", LEFT, "y1", sy.at(t), "x2", LEFT + plotWidth, "y2", sy.at(t));
    }
    svg.close("g");
    svg.empty(
        "rect",
        "x",
        LEFT,
        "y",
        TOP,
        "width",
        plotWidth,
        "height",
        plotHeight,
        "fill",
        "none",
        "stroke",
        Svg.AXIS,
        "stroke-width",
        1);

    svg.open("g", "class", "ticks", "font-size", 11, "fill", Svg.MUTED);
    for (double t : xTicks.values()) {
      svg.label(sx.at(t), TOP + plotHeight + 18, xTicks.format(t), "text-anchor", "middle");
    }
    for (double t : yTicks.values()) {
      svg.label(LEFT - 8, sy.at(t) + 4, yTicks.format(t), "text-anchor", "end");
    }
    svg.close("g");
    svg.label(
        LEFT + plotWidth / 2,
        HEIGHT - 16,
        xTitle,
        "text-anchor",
        "middle",
        "font-size",
        13,
        "fill",
        Svg.TEXT);
    double yMid = TOP + plotHeight / 2;
    svg.label(
        18,
        yMid,
        yTitle,
        "text-anchor",
        "middle",
        "font-size",
        13,
        "fill",
        Svg.TEXT,
        "transform",
        "rotate(-90 18 " + Svg.num(yMid) + ")");

    svg.open("g", "clip-path", "url(#plot-area)");
    for (Series s : series) {
      if (s.reference()) {
        double x0 = xTicks.min();
        double x1 = xTicks.max();
        double slope = s.x()[0];
        double intercept = s.y()[0];
        s =
            new Series(
                s.name(),
                new double[] {x0, x1},
                new double[] {slope * x0 + intercept, slope * x1 + intercept},
                s.color(),
                true,
                false,
                false,
                true);
      }
      if (s.points()) {
        svg.open("g", "class", "points", "fill", s.color(), "fill-opacity", 0.45, "stroke", "none");
        for (int i = 0; i < s.x().length; i++) {
          svg.empty(
              "circle", "class", "point", "cx", sx.at(s.x()[i]), "cy", sy.at(s.y()[i]), "r", 2.5);
        }
        svg.close("g");
      } else {
        svg.empty(
            "polyline",
            "class",
            "series",
            "points",
            polyline(s, sx, sy),
            "fill",
            "none",
            "stroke",
            s.color(),
            "stroke-width",
            s.dashed() ? 1.5 : 2.25,
            "stroke-dasharray",
            s.dashed() ? "6 5" : null,
            "stroke-linejoin",
            "round");
      }
    }
    svg.close("g");
    legend(svg, plotWidth, plotHeight);
    return svg.finish();
  }

  private void legend(Svg svg, double plotWidth, double plotHeight) {
    List<Series> named = series.stream().filter(s -> s.name() != null).toList();
    if (named.isEmpty()) {
      return;
    }
    int shown = Math.min(named.size(), MAX_LEGEND_ENTRIES);
    int rows = shown + (named.size() > shown ? 1 : 0);
    int longest = 0;
    for (int i = 0; i < shown; i++) {
      longest = Math.max(longest, named.get(i).name().length());
    }
    double rowHeight = 18;
    double width = Math.min(plotWidth - 16, 44 + longest * 6.6);
    double height = rows * rowHeight + 10;
    double x = corner == Corner.LOWER_LEFT ? LEFT + 10 : LEFT + plotWidth - width - 10;
    double y = corner == Corner.UPPER_RIGHT ? TOP + 10 : TOP + plotHeight - height - 10;
    svg.open("g", "class", "legend", "font-size", 12, "fill", Svg.TEXT);
    svg.empty(
        "rect",
        "x",
        x,
        "y",
        y,
        "width",
        width,
        "height",
        height,
        "rx",
        4,
        "fill",
        "#ffffff",
        "fill-opacity",
        0.9,
        "stroke",
        Svg.GRID);
    for (int i = 0; i < shown; i++) {
      Series s = named.get(i);
      double cy = y + 14 + i * rowHeight;
      if (s.points()) {
        svg.empty("circle", "cx", x + 19, "cy", cy, "r", 4, "fill", s.color(), "fill-opacity", 0.6);
      } else {
        svg.empty(
            "line",
            "x1",
            x + 8,
            "y1",
            cy,
            "x2",
            x + 30,
            "y2",
            cy,
            "stroke",
            s.color(),
            "stroke-width",
            s.dashed() ? 1.5 : 2.5,
            "stroke-dasharray",
            s.dashed() ? "6 5" : null);
      }
      svg.label(x + 38, cy + 4, s.name());
    }
    if (named.size() > shown) {
      svg.label(
          x + 38,
          y + 14 + shown * rowHeight + 4,
          "and " + (named.size() - shown) + " more",
          "fill",
          Svg.MUTED);
    }
    svg.close("g");
  }

  /** The polyline's points in pixels, dropping those within 0.5 px of the last one kept. */
  private static String polyline(Series s, Scale sx, Scale sy) {
    StringBuilder b = new StringBuilder();
    double[] last = {Double.NaN, Double.NaN};
    int n = s.x().length;
    for (int i = 0; i < n; i++) {
      double px = sx.at(s.x()[i]);
      double py = sy.at(s.y()[i]);
      if (s.steps() && i > 0) {
        // steps-post: hold the previous y until this x, then move to this y.
        append(b, last, px, sy.at(s.y()[i - 1]), false);
      }
      append(b, last, px, py, i == n - 1);
    }
    return b.toString().trim();
  }

  private static void append(StringBuilder b, double[] last, double x, double y, boolean force) {
    if (!force && Math.abs(x - last[0]) < 0.5 && Math.abs(y - last[1]) < 0.5) {
      return;
    }
    b.append(Svg.num(x)).append(',').append(Svg.num(y)).append(' ');
    last[0] = x;
    last[1] = y;
  }

  private double[] dataRange(boolean horizontal) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      if (s.reference()) {
        continue;
      }
      for (double v : horizontal ? s.x() : s.y()) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (min > max) {
      return new double[] {0, 1};
    }
    double pad = (max - min) * 0.04;
    return new double[] {min - pad, max + pad};
  }

  /** Maps data values to pixels. */
  private record Scale(double min, double max, double from, double to) {
    double at(double value) {
      return from + (value - min) / (max - min) * (to - from);
    }
  }

  /** Tick positions at round steps (1, 2 or 5 times a power of ten) and their labels. */
  record Ticks(double min, double max, double step, double[] values) {
    static Ticks of(double min, double max, int target, boolean extendToTicks) {
      if (max <= min) {
        double half = min == 0 ? 1 : Math.abs(min) * 0.1;
        min -= half;
        max += half;
      }
      double raw = (max - min) / target;
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double normal = raw / magnitude;
      double step = (normal < 1.5 ? 1 : normal < 3 ? 2 : normal < 7 ? 5 : 10) * magnitude;
      if (extendToTicks) {
        min = Math.floor(min / step) * step;
        max = Math.ceil(max / step) * step;
      }
      List<Double> values = new ArrayList<>();
      for (double t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
        values.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
      }
      return new Ticks(min, max, step, values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    String format(double value) {
      if (Math.abs(value) >= 1e6 || (value != 0 && Math.abs(value) < 1e-4)) {
        return String.format(Locale.ROOT, "%.2g", value);
      }
      int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
      return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
  }
}
