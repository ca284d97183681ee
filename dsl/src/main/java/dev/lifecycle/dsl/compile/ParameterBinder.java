package dev.lifecycle.dsl.compile;

import dev.lifecycle.dsl.internal.Suggestions;
import dev.lifecycle.dsl.plan.Parameter;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.ValueType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a run's parameter values to a plan's parameters. Values come from JSON (numbers, booleans,
 * strings) or from the command line ({@code --param k=v}, always strings), so strings are parsed to
 * the declared type.
 */
final class ParameterBinder {
  private ParameterBinder() {}

  static Map<String, Object> bind(PipelinePlan plan, Map<String, Object> values) {
    Map<String, Object> given = values == null ? Map.of() : values;
    List<Problem> problems = new ArrayList<>();
    Map<String, Parameter> declared = new LinkedHashMap<>();
    plan.parameters().forEach(p -> declared.putIfAbsent(p.name(), p));

    Map<String, Object> bound = new LinkedHashMap<>();
    for (Parameter parameter : declared.values()) {
      Object raw = given.get(parameter.name());
      boolean fromRun = raw != null;
      if (raw == null) {
        raw = parameter.defaultValue();
      }
      if (raw == null) {
        problems.add(
            new Problem(
                null,
                Rules.MISSING_PARAMETER,
                "Parameter '"
                    + parameter.name()
                    + "' ("
                    + parameter.type().label()
                    + (parameter.description().isEmpty() ? "" : ": " + parameter.description())
                    + ") has no default and the run does not set it. Set it, e.g."
                    + " \"parameters\": {\""
                    + parameter.name()
                    + "\": ...} or --param "
                    + parameter.name()
                    + "=..."));
        continue;
      }
      Object value = coerce(raw, parameter.type());
      if (value == null) {
        problems.add(
            new Problem(
                null,
                Rules.INVALID_PARAMETER,
                "Parameter '"
                    + parameter.name()
                    + "' is "
                    + parameter.type().label()
                    + " but "
                    + (fromRun ? "the run sets it to " : "its default is ")
                    + PlanChecker.show(raw)
                    + (raw instanceof String ? "" : " (" + kindOf(raw) + ")")
                    + ". "
                    + example(parameter.type())));
        continue;
      }
      bound.put(parameter.name(), value);
    }
    List<String> unknown =
        given.keySet().stream().filter(k -> !declared.containsKey(k)).sorted().toList();
    for (String name : unknown) {
      problems.add(
          new Problem(
              null,
              Rules.UNKNOWN_PARAMETER,
              "Pipeline '"
                  + plan.name()
                  + "' has no parameter '"
                  + name
                  + "'"
                  + Suggestions.didYouMeanOrStop(name, declared.keySet())
                  + " Declared parameters: "
                  + declared.values().stream()
                      .map(p -> p.name() + " (" + p.type().label() + ")")
                      .collect(Collectors.joining(", ", "[", "]"))
                  + "."));
    }
    if (!problems.isEmpty()) {
      throw new PlanValidationException(plan.name(), problems);
    }
    return Collections.unmodifiableMap(bound);
  }

  /**
   * {@code raw} as a value of {@code type}, or null when it does not fit. Integers bind as {@link
   * Integer}, or {@link Long} beyond its range, as JSON reads them back, so a bound map keeps its
   * types through a workflow payload.
   */
  static Object coerce(Object raw, ValueType type) {
    return switch (type) {
      case STRING -> raw instanceof String ? raw : null;
      case BOOLEAN -> toBoolean(raw);
      case INTEGER -> toInteger(raw);
      case DOUBLE -> toDouble(raw);
      default -> null;
    };
  }

  private static Boolean toBoolean(Object raw) {
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof String s) {
      String text = s.trim().toLowerCase(Locale.ROOT);
      if (text.equals("true")) {
        return Boolean.TRUE;
      }
      if (text.equals("false")) {
        return Boolean.FALSE;
      }
    }
    return null;
  }

  private static Object toInteger(Object raw) {
    BigDecimal number = decimal(raw);
    if (number == null) {
      return null;
    }
    BigInteger whole;
    try {
      whole = number.toBigIntegerExact();
    } catch (ArithmeticException fractional) {
      return null;
    }
    if (whole.bitLength() < 32) {
      return whole.intValue();
    }
    return whole.bitLength() < 64 ? (Object) whole.longValue() : null;
  }

  private static Double toDouble(Object raw) {
    BigDecimal number = decimal(raw);
    if (number == null) {
      return null;
    }
    double value = number.doubleValue();
    return Double.isFinite(value) ? value : null;
  }

  /** A number or a numeric string as an exact decimal; null for anything else (NaN included). */
  private static BigDecimal decimal(Object raw) {
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
      return BigDecimal.valueOf(((Number) raw).longValue());
    }
    if (raw instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (raw instanceof BigDecimal d) {
      return d;
    }
    if (raw instanceof Double || raw instanceof Float) {
      double d = ((Number) raw).doubleValue();
      return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }
    if (raw instanceof String s) {
      try {
        return new BigDecimal(s.trim());
      } catch (NumberFormatException notANumber) {
        return null;
      }
    }
    return null;
  }

  private static String kindOf(Object raw) {
    if (raw instanceof Boolean) {
      return "a boolean";
    }
    if (raw instanceof Number) {
      return "a number";
    }
    if (raw instanceof Map) {
      return "an object";
    }
    if (raw instanceof List) {
      return "a list";
    }
    return "a " + raw.getClass().getSimpleName();
  }

  private static String example(ValueType type) {
    return switch (type) {
      case STRING -> "Pass a string, e.g. \"text\" (quoted in JSON).";
      case INTEGER -> "Pass a whole number, e.g. 60 or \"60\".";
      case DOUBLE -> "Pass a number, e.g. 2.5 or \"2.5\".";
      case BOOLEAN -> "Pass true or false.";
      default -> "Pass a " + type.label() + ".";
    };
  }
}
