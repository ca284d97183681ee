package dev.lifecycle.dsl.compile;

import dev.lifecycle.dsl.plan.BatchTransform;
import dev.lifecycle.dsl.plan.Condition;
import dev.lifecycle.dsl.plan.Expr;
import dev.lifecycle.dsl.plan.Fail;
import dev.lifecycle.dsl.plan.Features;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.Operand;
import dev.lifecycle.dsl.plan.OutputRef;
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
   * resolved to their producing step, and with register and batch transform steps whose model was
   * trained on a features step's output reading that step's fitted transform (see {@link
   * #transformOf}).
   *
   * @throws PlanValidationException listing every problem
   */
  public static PipelinePlan compile(PipelinePlan plan) {
    PipelinePlan filled = fillSuccessCriteria(plan);
    List<Problem> problems = PlanChecker.check(filled);
    if (!problems.isEmpty()) {
      throw new PlanValidationException(plan.name(), problems);
    }
    return resolveMetrics(filled);
  }

  /** Every problem of {@code plan}, in plan order; empty when it is valid. */
  public static List<Problem> check(PipelinePlan plan) {
    return PlanChecker.check(fillSuccessCriteria(plan));
  }

  /**
   * {@code plan} with every {@code successCriteria()} in a condition holding a copy of the plan's
   * criteria, so that the condition depends on the steps producing their metrics.
   */
  private static PipelinePlan fillSuccessCriteria(PipelinePlan plan) {
    return plan.withSteps(fill(plan.steps(), plan.successCriteria()));
  }

  private static List<Step> fill(List<Step> steps, Expr criteria) {
    return steps.stream()
        .map(
            s ->
                s instanceof Condition c
                    ? new Condition(
                        c.name(),
                        c.when() == null ? null : fill(c.when(), criteria),
                        fill(c.then(), criteria),
                        fill(c.otherwise(), criteria),
                        c.after())
                    : s)
        .toList();
  }

  private static Expr fill(Expr expr, Expr criteria) {
    if (expr instanceof Expr.SuccessCriteria) {
      // Criteria that name themselves are reported by the checker, not copied in for ever.
      return new Expr.SuccessCriteria(
          criteria == null || mentionsCriteria(criteria) ? null : criteria);
    }
    if (expr instanceof Expr.And and) {
      return new Expr.And(and.parts().stream().map(p -> fill(p, criteria)).toList());
    }
    if (expr instanceof Expr.Or or) {
      return new Expr.Or(or.parts().stream().map(p -> fill(p, criteria)).toList());
    }
    if (expr instanceof Expr.Not not) {
      return new Expr.Not(fill(not.part(), criteria));
    }
    return expr;
  }

  /** Whether {@code expr} holds a {@code successCriteria()} or {@code beats(production())}. */
  static boolean mentionsCriteria(Expr expr) {
    if (expr instanceof Expr.SuccessCriteria) {
      return true;
    }
    if (expr instanceof Expr.And and) {
      return and.parts().stream().anyMatch(PipelineCompiler::mentionsCriteria);
    }
    if (expr instanceof Expr.Or or) {
      return or.parts().stream().anyMatch(PipelineCompiler::mentionsCriteria);
    }
    return expr instanceof Expr.Not not && mentionsCriteria(not.part());
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
        resolve(plan.steps(), all, position),
        // The criteria are judged over the whole run: their metrics resolve against every step.
        plan.successCriteria() == null ? null : resolve(plan.successCriteria(), all, all.size()));
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
          r.name(),
          r.modelName(),
          r.model(),
          r.dataset(),
          metrics,
          r.options(),
          r.after(),
          r.transform() == null ? transformOf(r.model(), all) : r.transform());
    }
    if (step instanceof BatchTransform b && b.transform() == null) {
      return b.withTransform(transformOf(b.model(), all));
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
    if (expr instanceof Expr.Not not) {
      return new Expr.Not(resolve(not.part(), all, at));
    }
    if (expr instanceof Expr.SuccessCriteria criteria) {
      return new Expr.SuccessCriteria(
          criteria.criteria() == null ? null : resolve(criteria.criteria(), all, at));
    }
    Expr.BeatsProduction beats = (Expr.BeatsProduction) expr;
    String model = beats.modelName() == null ? onlyRegisteredModel(all) : beats.modelName();
    return new Expr.BeatsProduction(
        (MetricRef) resolve(beats.metric(), all, at),
        model,
        beats.margin(),
        beats.goal() == null ? Expr.Goal.of(beats.metric().metric()).orElse(null) : beats.goal());
  }

  /**
   * The fitted transform a model reads its inputs through: when the model is trained (directly, or
   * registered after training) on an output of a features step, that step's {@code transform}; else
   * null. Inferred here so that register steps package it with the version and serving can take raw
   * requests, without the pipeline author naming it.
   */
  static OutputRef transformOf(Operand model, List<Step> all) {
    if (!(model instanceof OutputRef ref) || !ref.output().equals("model")) {
      return null;
    }
    Step producer = stepNamed(all, ref.step());
    if (producer instanceof Register r) {
      return r.transform() != null ? r.transform() : transformOf(r.model(), all);
    }
    if (producer instanceof Train t
        && t.train() != null
        && stepNamed(all, t.train().step()) instanceof Features f) {
      return new OutputRef(f.name(), "transform");
    }
    return null;
  }

  private static Step stepNamed(List<Step> all, String name) {
    return all.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  /** The model name of the plan's register steps when they all register one model, else null. */
  static String onlyRegisteredModel(List<Step> all) {
    List<String> names =
        all.stream()
            .filter(s -> s instanceof Register)
            .map(s -> ((Register) s).modelName())
            .distinct()
            .toList();
    return names.size() == 1 ? names.get(0) : null;
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
