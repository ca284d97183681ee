package dev.lifecycle.dsl.compile;

import dev.lifecycle.dsl.internal.PlanRenderer;
import dev.lifecycle.dsl.plan.PipelinePlan;

/**
 * Pictures of a plan for people: paste {@link #mermaid} output into a Markdown file, the Mermaid
 * live editor or a GitHub comment.
 */
public final class PlanDiagram {
  private PlanDiagram() {}

  /**
   * A Mermaid flowchart: steps as nodes labelled {@code name (kind)}, conditions as diamonds with
   * {@code then}/{@code otherwise} edges into their branch steps, solid edges where a step reads
   * another's output or metric, dotted ones for {@code after}.
   */
  public static String mermaid(PipelinePlan plan) {
    return PlanRenderer.mermaid(plan);
  }
}
