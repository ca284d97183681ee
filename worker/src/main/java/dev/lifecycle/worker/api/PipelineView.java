package dev.lifecycle.worker.api;

import dev.lifecycle.dsl.plan.Parameter;
import dev.lifecycle.dsl.plan.PipelinePlan;
import java.util.List;

/**
 * A registered pipeline as {@code GET /api/pipelines} lists it.
 *
 * @param name what runs use to start it
 * @param description what it does
 * @param parameters what a run may set
 */
public record PipelineView(String name, String description, List<ParameterView> parameters) {

  /**
   * One parameter.
   *
   * @param type {@code string}, {@code integer}, {@code double} or {@code boolean}
   * @param defaultValue the value when a run does not set it; absent when required
   */
  public record ParameterView(
      String name, String type, Object defaultValue, boolean required, String description) {
    static ParameterView of(Parameter p) {
      return new ParameterView(
          p.name(), p.type().label(), p.defaultValue(), p.required(), p.description());
    }
  }

  /** The view of {@code plan}. */
  public static PipelineView of(PipelinePlan plan) {
    return new PipelineView(
        plan.name(),
        plan.description(),
        plan.parameters().stream().map(ParameterView::of).toList());
  }
}
