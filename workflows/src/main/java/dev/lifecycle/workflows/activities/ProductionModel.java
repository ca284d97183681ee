package dev.lifecycle.workflows.activities;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The version the registry's {@code production} alias points at, with the metrics recorded when it
 * was registered: the champion a challenger is compared with.
 *
 * @param modelName the registry's model name
 * @param version the production version, or null when the model has none (or is not registered)
 * @param metrics its recorded metrics, sorted by name (workflow code reads them: the iteration
 *     order must not change between JVMs); empty when there is no production version
 */
public record ProductionModel(String modelName, Integer version, Map<String, Double> metrics) {
  public ProductionModel {
    Objects.requireNonNull(modelName, "modelName");
    metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metrics));
  }

  /** Whether the model has a production version. */
  public boolean exists() {
    return version != null;
  }
}
