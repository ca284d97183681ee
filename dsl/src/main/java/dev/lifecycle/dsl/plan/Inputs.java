package dev.lifecycle.dsl.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a step's ordered input map, leaving out inputs that are not set. */
final class Inputs {
  private final Map<String, Input> map = new LinkedHashMap<>();

  Inputs put(String name, Operand operand, ValueType expected) {
    if (operand != null) {
      map.put(name, new Input(operand, expected));
    }
    return this;
  }

  Inputs putAll(String prefix, List<? extends Operand> operands, ValueType expected) {
    for (int i = 0; i < operands.size(); i++) {
      put(prefix + i, operands.get(i), expected);
    }
    return this;
  }

  Map<String, Input> build() {
    return Collections.unmodifiableMap(map);
  }

  static List<String> copy(List<String> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  static StepOptions options(StepOptions options) {
    return options == null ? StepOptions.DEFAULT : options;
  }
}
