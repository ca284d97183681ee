package dev.lifecycle.dsl.compile;

import dev.lifecycle.dsl.plan.Condition;
import dev.lifecycle.dsl.plan.Expr;
import dev.lifecycle.dsl.plan.Fail;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.Operand;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.dsl.plan.Train;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks plans and binds run parameters. {@link #check} reports every problem at once, each naming
 * the step and the offender with a hint (the rules are listed in {@link Rules}); {@link #compile}
 * throws them all in one {@link PlanValidationException}.
 *
 * <pre>{@code
 * PipelinePlan plan = PipelineCompiler.compile(pipeline.build());
 * Map<String, Object> params = PipelineCompiler.bindParameters(plan, Map.of("rmseThreshold", "2.0"));
 * }</pre>
 */
public final class PipelineCompiler {
  /**
   * The largest string a plan may hold (a literal, a parameter default, a fail message, a prompt):
   * 256 KB. Plans travel in workflow payloads, and data belongs in artifacts.
   */
  public static final int MAX_LITERAL_BYTES = 256 * 1024;

  private PipelineCompiler() {}

  /**
   * Checks {@code plan} against every rule and returns it with unqualified metric references
   * resolved to their producing step.
   *
   * @throws PlanValidationException listing every problem
   */
  public static PipelinePlan compile(PipelinePlan plan) {
    List<Problem> problems = check(plan);
    if (!problems.isEmpty()) {
      throw new PlanValidationException(plan.name(), problems);
    }
    return resolveMetrics(plan);
  }

  /** Every problem of {@code plan}, in plan order; empty when it is valid. */
  public static List<Problem> check(PipelinePlan plan) {
    return PlanChecker.check(plan);
  }

  /**
   * The run's parameter values: {@code values} checked against the plan's parameters, coerced to
   * their types, defaults filled in. Strings (as {@code --param k=v} sends them) are parsed to the
   * declared type; a whole number fits a double parameter, 2.5 does not fit an integer one.
   * Integers bind as {@link Integer} ({@link Long} beyond its range), doubles as {@link Double}.
   *
   * @param values the run's values by name; may be null
   * @return every parameter of the plan, in declaration order, unmodifiable
   * @throws PlanValidationException naming unknown ({@link Rules#UNKNOWN_PARAMETER}), missing
   *     ({@link Rules#MISSING_PARAMETER}) and mistyped ({@link Rules#INVALID_PARAMETER}) parameters
   */
  public static Map<String, Object> bindParameters(PipelinePlan plan, Map<String, Object> values) {
    return ParameterBinder.bind(plan, values);
  }

  /** {@code plan} with every {@code metric("x")} naming its one earlier producing step. */
  private static PipelinePlan resolveMetrics(PipelinePlan plan) {
    List<Step> all = plan.allSteps();
    Map<String, Integer> position = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      position.putIfAbsent(all.get(i).name(), i);
    }
    return new PipelinePlan(
        plan.schemaVersion(),
        plan.name(),
        plan.description(),
        plan.parameters(),
        resolve(plan.steps(), all, position));
  }

  private static List<Step> resolve(
      List<Step> steps, List<Step> all, Map<String, Integer> position) {
    return steps.stream().map(s -> resolve(s, all, position.get(s.name()), position)).toList();
  }

  private static Step resolve(Step step, List<Step> all, int at, Map<String, Integer> position) {
    if (step instanceof Condition c) {
      return new Condition(
          c.name(),
          resolve(c.when(), all, at),
          resolve(c.then(), all, position),
          resolve(c.otherwise(), all, position),
          c.after());
    }
    if (step instanceof Register r) {
      Map<String, Operand> metrics = new LinkedHashMap<>();
      r.metrics().forEach((name, operand) -> metrics.put(name, resolve(operand, all, at)));
      return new Register(
          r.name(), r.modelName(), r.model(), r.dataset(), metrics, r.options(), r.after());
    }
    if (step instanceof Fail f) {
      return new Fail(
          f.name(),
          f.message(),
          f.args().stream().map(a -> resolve(a, all, at)).toList(),
          f.after());
    }
    if (step instanceof Train t) {
      return t.withHyperparameters(
          resolve(t.epochs(), all, at),
          resolve(t.batchSize(), all, at),
          resolve(t.learningRate(), all, at));
    }
    if (step instanceof Ingest i) {
      return new Ingest(i.name(), resolve(i.source(), all, at), i.format(), i.options(), i.after());
    }
    return step;
  }

  private static Expr resolve(Expr expr, List<Step> all, int at) {
    if (expr instanceof Expr.Compare c) {
      return new Expr.Compare(resolve(c.left(), all, at), c.op(), resolve(c.right(), all, at));
    }
    if (expr instanceof Expr.And and) {
      return new Expr.And(and.parts().stream().map(p -> resolve(p, all, at)).toList());
    }
    if (expr instanceof Expr.Or or) {
      return new Expr.Or(or.parts().stream().map(p -> resolve(p, all, at)).toList());
    }
    Expr.Not not = (Expr.Not) expr;
    return new Expr.Not(resolve(not.part(), all, at));
  }

  private static Operand resolve(Operand operand, List<Step> all, int at) {
    if (operand instanceof MetricRef ref && ref.step() == null) {
      return MetricProducers.unique(all, at, ref.metric())
          .<Operand>map(step -> new MetricRef(step, ref.metric()))
          .orElse(ref);
    }
    return operand;
  }
}
