package dev.lifecycle.dsl.plan;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a train step adapts a pretrained model.
 *
 * <p>Parameters are named with dots, e.g. {@code features.conv1.weight} (Lifecycle's networks; see
 * {@link Architecture}) or the names a TorchScript module gives them ({@code 0.weight}). A name in
 * {@code freeze} or {@code learningRates} matches a parameter when it equals the parameter's name
 * or is a prefix of it that ends at a dot: {@code features} and {@code features.*} both match
 * {@code features.conv1.weight}, {@code feat} matches nothing.
 *
 * @param freeze parameters or blocks whose weights stay exactly as pretrained
 * @param newHead replace the last layer ({@code head}) with a fresh one sized for the classes of
 *     the training labels (classification only)
 * @param learningRates learning rate by parameter-name prefix; the longest matching prefix wins,
 *     and parameters no prefix matches use the step's learning rate
 */
public record FineTune(List<String> freeze, boolean newHead, Map<String, Double> learningRates) {
  public FineTune {
    freeze = freeze == null ? List.of() : List.copyOf(freeze);
    learningRates =
        learningRates == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(learningRates));
  }

  /**
   * Whether the pattern {@code pattern} (a name, a dotted prefix, or a prefix followed by {@code
   * .*}) matches the parameter called {@code parameter}.
   */
  public static boolean matches(String pattern, String parameter) {
    String prefix = pattern.endsWith(".*") ? pattern.substring(0, pattern.length() - 2) : pattern;
    if (prefix.isEmpty()) {
      return false;
    }
    return parameter.equals(prefix)
        || (parameter.startsWith(prefix) && parameter.charAt(prefix.length()) == '.');
  }
}
