package dev.lifecycle.activities.plan;

import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.PipelineDefinition;

/** A small valid pipeline with a double parameter and a required string parameter. */
final class ChurnPipeline implements PipelineDefinition {
  @Override
  public Pipeline define() {
    Pipeline p = Pipeline.named("churn");
    var threshold = p.doubleParam("threshold", 0.5, "largest MAE");
    var source = p.stringParam("source", null, "the CSV");
    var raw = p.ingest("ingest").csv(source).dataset();
    var split = p.split("split", raw);
    var train = p.train("train", split.train()).label("y").epochs(2);
    var evaluate = p.evaluate("evaluate", train.model(), split.test()).label("y");
    p.condition("good", evaluate.metric("mae").atMost(threshold))
        .then(b -> b.register("register", "churn", train.model()));
    return p;
  }
}
