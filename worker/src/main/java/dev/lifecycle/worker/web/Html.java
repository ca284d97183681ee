package dev.lifecycle.worker.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Escaping and small formatting helpers of the pages. */
final class Html {
  private Html() {}

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /**
   * {@code text} safe inside an element or a double-quoted attribute (the pages quote no other
   * way).
   */
  static String escape(Object text) {
    if (text == null) {
      return "";
    }
    String s = text.toString();
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code segment} as one URL path segment. */
  static String path(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Epoch millis as a UTC time. */
  static String time(Long epochMillis) {
    return epochMillis == null ? "" : TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  /** A duration for people: {@code 0.4s}, {@code 42s}, {@code 3m 05s}, {@code 1h 02m}. */
  static String duration(long millis) {
    if (millis < 10_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long seconds = Math.round(millis / 1000.0);
    if (seconds < 3600) {
      return seconds < 60
          ? seconds + "s"
          : String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  /** A number with four significant digits. */
  static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    return new java.math.BigDecimal(value)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }

  /** A text resource of the pages, under {@code web/} on the class path. */
  static String resource(String name) {
    try (InputStream in = Html.class.getResourceAsStream("/web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("Missing page resource web/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The page around {@code body}: title, the shared style sheet and script. */
  static String page(String title, String body) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>"
        + escape(title)
        + "</title><style>\n"
        + STYLE
        + "</style></head><body>\n"
        + body
        + "\n<script>\n"
        + SCRIPT
        + "</script></body></html>\n";
  }

  private static final String STYLE = resource("runs.css");
  private static final String SCRIPT = resource("runs.js");
}
