package dev.lifecycle.worker.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits {@code --param k=v} arguments. The values stay strings: binding them to the plan parses
 * each to its parameter's type and names any that does not fit.
 */
final class ParameterValues {
  private ParameterValues() {}

  /**
   * The values of {@code pairs} by name.
   *
   * @throws UsageException naming a pair without {@code =} or a name given twice
   */
  static Map<String, Object> parse(List<String> pairs) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--param '" + pair + "' must look like name=value");
      }
      String name = pair.substring(0, eq).trim();
      if (values.put(name, pair.substring(eq + 1)) != null) {
        throw new UsageException("--param '" + name + "' is given twice");
      }
    }
    return values;
  }
}
