package dev.lifecycle.bench;

import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.StepOptions;
import java.util.List;

/** A chain of trivial ingest steps, each after the previous one. */
final class SequencePlans {
  static final String SOURCE = "classpath:bench.csv";

  private SequencePlans() {}

  static String name(int i) {
    return String.format("step-%03d", i);
  }

  /** Step {@code i} exactly as the plan of {@link #plan(int)} holds it. */
  static Ingest step(int i) {
    return new Ingest(
        name(i),
        new Literal(SOURCE),
        "csv",
        StepOptions.DEFAULT,
        i == 0 ? List.of() : List.of(name(i - 1)));
  }

  /** {@code steps} ingest steps in a chain, written with the DSL and compiled. */
  static PipelinePlan plan(int steps) {
    Pipeline p = Pipeline.named("sequence-" + steps);
    var previous = p.ingest(name(0)).csv(SOURCE);
    for (int i = 1; i < steps; i++) {
      previous = p.ingest(name(i)).csv(SOURCE).after(previous);
    }
    return p.compile();
  }
}
