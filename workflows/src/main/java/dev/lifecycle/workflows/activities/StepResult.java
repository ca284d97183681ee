package dev.lifecycle.workflows.activities;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a step produced: artifacts by output name, metrics, scalar outputs, and a one-line summary
 * for people ("4177 rows, 9 columns").
 */
public record StepResult(
    Map<String, ArtifactRef> artifacts,
    Map<String, Double> metrics,
    Map<String, Object> values,
    String summary) {
  public StepResult {
    artifacts = artifacts == null ? Map.of() : Map.copyOf(artifacts);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    values = values == null ? Map.of() : Map.copyOf(values);
    summary = summary == null ? "" : summary;
  }

  /** A builder of results. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link StepResult}. */
  public static final class Builder {
    private final Map<String, ArtifactRef> artifacts = new LinkedHashMap<>();
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private String summary = "";

    public Builder artifact(String output, ArtifactRef ref) {
      artifacts.put(output, ref);
      return this;
    }

    public Builder metric(String name, double value) {
      metrics.put(name, value);
      return this;
    }

    public Builder value(String output, Object value) {
      values.put(output, value);
      return this;
    }

    public Builder summary(String summary) {
      this.summary = summary;
      return this;
    }

    public StepResult build() {
      return new StepResult(artifacts, metrics, values, summary);
    }
  }
}
