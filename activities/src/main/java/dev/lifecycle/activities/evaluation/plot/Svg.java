package dev.lifecycle.activities.evaluation.plot;

import java.util.Locale;

/**
 * A minimal SVG writer: elements with escaped attributes and text, coordinates rounded to two
 * decimals so that files stay small and identical across runs (the report is content-addressed).
 */
final class Svg {
  static final String FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  static final String TEXT = "#1f2937";
  static final String MUTED = "#6b7280";
  static final String GRID = "#e5e7eb";
  static final String AXIS = "#9ca3af";

  private final StringBuilder out = new StringBuilder(1 << 14);

  Svg(double width, double height, String title) {
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(num(width))
        .append("\" height=\"")
        .append(num(height))
        .append("\" viewBox=\"0 0 ")
        .append(num(width))
        .append(' ')
        .append(num(height))
        .append("\" font-family=\"")
        .append(escape(FONT))
        .append("\" role=\"img\">\n<title>")
        .append(escape(title))
        .append("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
  }

  /** Opens an element; {@code attributes} alternate names and values. */
  Svg open(String element, Object... attributes) {
    out.append('<').append(element);
    attributes(attributes);
    out.append(">\n");
    return this;
  }

  Svg close(String element) {
    out.append("</").append(element).append(">\n");
    return this;
  }

  /** An element without content. */
  Svg empty(String element, Object... attributes) {
    out.append('<').append(element);
    attributes(attributes);
    out.append("/>\n");
    return this;
  }

  /** An element with text content. */
  Svg text(String element, String text, Object... attributes) {
    out.append('<').append(element);
    attributes(attributes);
    out.append('>').append(escape(text)).append("</").append(element).append(">\n");
    return this;
  }

  /** A {@code <text>} at {@code (x, y)}. */
  Svg label(double x, double y, String text, Object... attributes) {
    Object[] all = new Object[attributes.length + 4];
    all[0] = "x";
    all[1] = x;
    all[2] = "y";
    all[3] = y;
    System.arraycopy(attributes, 0, all, 4, attributes.length);
    return text("text", text, all);
  }

  private void attributes(Object[] attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("SVG attributes come in name/value pairs");
    }
    for (int i = 0; i < attributes.length; i += 2) {
      Object value = attributes[i + 1];
      if (value == null) {
        continue;
      }
      String text = value instanceof Number n ? num(n.doubleValue()) : value.toString();
      out.append(' ').append(attributes[i]).append("=\"").append(escape(text)).append('"');
    }
  }

  String finish() {
    return out.append("</svg>\n").toString();
  }

  /** Two decimals at most, no trailing zeros, no negative zero. */
  static String num(double value) {
    double rounded = Math.round(value * 100) / 100.0;
    if (rounded == 0) {
      return "0";
    }
    if (rounded == Math.rint(rounded) && Math.abs(rounded) < 1e15) {
      return Long.toString((long) rounded);
    }
    String s = String.format(Locale.ROOT, "%.2f", rounded);
    return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
  }

  static String escape(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          // XML 1.0 forbids most control characters even when escaped: drop them.
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
