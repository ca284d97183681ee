package dev.lifecycle.dsl.compile;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lifecycle.dsl.plan.Evaluate;
import dev.lifecycle.dsl.plan.Features;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Parameter;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.Split;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.dsl.plan.Train;
import java.util.List;
import java.util.Objects;

/** Small plans written as IR records, for cases the DSL cannot express. */
final class Plans {
  private Plans() {}

  static PipelinePlan plan(List<Parameter> parameters, Step... steps) {
    return new PipelinePlan(PipelinePlan.SCHEMA_VERSION, "p", "", parameters, List.of(steps));
  }

  static PipelinePlan plan(Step... steps) {
    return plan(List.of(), steps);
  }

  static OutputRef out(String step, String output) {
    return new OutputRef(step, output);
  }

  static Ingest ingest(String name) {
    return new Ingest(name, new Literal("data.csv"), "csv", null, null);
  }

  static Split split(String name, String from) {
    return new Split(name, out(from, "dataset"), 0.8, 0.1, 0.1, 42, null, null);
  }

  static Train train(String name, String from) {
    return new Train(
        name,
        out(from, "train"),
        null,
        "y",
        null,
        List.of(8),
        new Literal(2),
        new Literal(4),
        new Literal(0.01),
        1,
        null,
        null);
  }

  static Evaluate evaluate(String name, String model, String data) {
    return new Evaluate(name, out(model, "model"), out(data, "test"), "y", null, null, null);
  }

  static Features features(String name, String from) {
    return new Features(
        name,
        out(from, "train"),
        out(from, "validation"),
        out(from, "test"),
        "y",
        List.of(),
        List.of(),
        List.of(),
        null,
        null);
  }

  /** The usual chain: ingest, split, train, evaluate (producing regression metrics). */
  static List<Step> chain() {
    return List.of(
        ingest("ingest"),
        split("split", "ingest"),
        train("train", "split"),
        evaluate("evaluate", "train", "split"));
  }

  static PipelinePlan chainThen(Step... more) {
    List<Step> steps = new java.util.ArrayList<>(chain());
    steps.addAll(List.of(more));
    return plan(steps.toArray(Step[]::new));
  }

  /**
   * Asserts that checking {@code plan} reports a problem of {@code rule} on {@code step} (null: the
   * pipeline) whose message quotes {@code offender}; returns it.
   */
  static Problem assertProblem(PipelinePlan plan, String rule, String step, String offender) {
    List<Problem> problems = PipelineCompiler.check(plan);
    return problems.stream()
        .filter(
            p ->
                p.rule().equals(rule)
                    && Objects.equals(p.step(), step)
                    && p.message().contains("'" + offender + "'"))
        .findFirst()
        .orElseGet(
            () ->
                fail(
                    "expected "
                        + rule
                        + " on step "
                        + step
                        + " quoting '"
                        + offender
                        + "', got "
                        + problems));
  }

  static void assertValid(PipelinePlan plan) {
    List<Problem> problems = PipelineCompiler.check(plan);
    assertTrue(problems.isEmpty(), problems::toString);
  }
}
