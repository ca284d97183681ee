package dev.lifecycle.activities.plan;

import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.PipelineDefinition;

/** A pipeline that breaks a compiler rule: its split fractions add up to 1.3. */
final class BrokenPipeline implements PipelineDefinition {
  @Override
  public Pipeline define() {
    Pipeline p = Pipeline.named("broken");
    p.split("split", p.ingest("ingest").csv("a.csv").dataset()).ratios(0.6, 0.6, 0.1);
    return p;
  }
}
