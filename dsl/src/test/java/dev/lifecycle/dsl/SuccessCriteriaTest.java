package dev.lifecycle.dsl;

import static dev.lifecycle.dsl.Check.not;
import static dev.lifecycle.dsl.Values.metric;
import static dev.lifecycle.dsl.Values.param;
import static dev.lifecycle.dsl.Values.production;
import static dev.lifecycle.dsl.Values.successCriteria;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.compile.PipelineCompiler;
import dev.lifecycle.dsl.compile.PlanGraph;
import dev.lifecycle.dsl.compile.PlanValidationException;
import dev.lifecycle.dsl.compile.Problem;
import dev.lifecycle.dsl.compile.Rules;
import dev.lifecycle.dsl.plan.Condition;
import dev.lifecycle.dsl.plan.Expr;
import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Success criteria, champion/challenger conditions and nested and/or/not, as people write them. */
class SuccessCriteriaTest {

  /**
   * A classifier judged by {@code f1 >= 0.85}; it deploys when the criteria hold and it beats
   * production's log loss by 0.01.
   */
  static Pipeline champion(Consumer<Pipeline> extra) {
    Pipeline p = Pipeline.named("champion");
    var minF1 = p.doubleParam("minF1", 0.85, "Smallest F1 worth shipping");
    var raw = p.ingest("ingest").csv("data.csv").dataset();
    var split = p.split("split", raw);
    var train = p.train("train", split.train()).label("y").classification();
    var evaluate = p.evaluate("evaluate", train.model(), split.test()).label("y").classification();
    p.successCriteria(metric("f1").atLeast(minF1));
    var register = p.register("register", "shoes", train.model()).metrics(evaluate);
    p.condition(
            "better",
            successCriteria().and(evaluate.metric("log_loss").beats(production()).by(0.01)))
        .then(b -> b.deploy("serve", register).endpoint("shoes"))
        .otherwise(b -> b.fail("worse", "Not better than production"));
    extra.accept(p);
    return p;
  }

  @Test
  void compilesToTheGoldenPlan() throws IOException {
    Golden.assertGolden("champion", champion(p -> {}).compile());
  }

  @Test
  void recordsTheCriteriaInThePlanWithTheirStep() {
    PipelinePlan plan = champion(p -> {}).compile();
    Expr.Compare criteria = assertInstanceOf(Expr.Compare.class, plan.successCriteria());
    assertEquals(new MetricRef("evaluate", "f1"), criteria.left());
    assertEquals(plan, PlanJson.read(PlanJson.write(plan)));
  }

  @Test
  void copiesTheCriteriaIntoTheConditionSoItWaitsForTheirMetrics() {
    PipelinePlan plan = champion(p -> {}).compile();
    Condition better = (Condition) plan.step("better").orElseThrow();
    Expr.And and = assertInstanceOf(Expr.And.class, better.when());
    Expr.SuccessCriteria used = assertInstanceOf(Expr.SuccessCriteria.class, and.parts().get(0));
    assertEquals(plan.successCriteria(), used.criteria());
    Expr.BeatsProduction beats = assertInstanceOf(Expr.BeatsProduction.class, and.parts().get(1));
    assertEquals("shoes", beats.modelName());
    assertEquals(Expr.Goal.MINIMIZE, beats.goal());
    assertEquals(0.01, beats.margin());
    assertTrue(PlanGraph.of(plan).dependencies("better").contains("evaluate"));
  }

  @Test
  void beatsNeedsADirectionForAnUnknownMetric() {
    Pipeline p = champion(x -> {});
    p.condition("odd", metric("evaluate", "precision").beats(production("shoes")))
        .then(b -> b.fail("never", "never"));
    PipelineCompiler.compile(p.build());

    Pipeline q = Pipeline.named("q");
    var raw = q.ingest("ingest").csv("data.csv").dataset();
    var train = q.train("train", raw).label("y");
    q.register("register", "m", train.model());
    q.condition("unknown", metric("train", "train_accuracy").beats(production()))
        .then(b -> b.fail("never", "never"));
    Problem problem = only(q, Rules.INVALID_CRITERIA);
    assertTrue(problem.message().contains("'train_accuracy'"), problem.message());
    assertEquals("unknown", problem.step());
  }

  @Test
  void statedDirectionsAreKept() {
    Pipeline q = Pipeline.named("q");
    var raw = q.ingest("ingest").csv("data.csv").dataset();
    var train = q.train("train", raw).label("y");
    q.register("register", "m", train.model());
    q.condition("custom", metric("train", "train_loss").beats(production()).higherIsBetter())
        .then(b -> b.fail("never", "never"));
    Condition c = (Condition) q.compile().step("custom").orElseThrow();
    assertEquals(Expr.Goal.MAXIMIZE, ((Expr.BeatsProduction) c.when()).goal());
  }

  @Test
  void beatsNeedsAModelWhenThePlanRegistersNoneOrSeveral() {
    Pipeline q = Pipeline.named("q");
    var raw = q.ingest("ingest").csv("data.csv").dataset();
    var train = q.train("train", raw).label("y");
    var evaluate = q.evaluate("evaluate", train.model(), raw).label("y");
    q.condition("better", evaluate.metric("rmse").beats(production()))
        .then(b -> b.fail("never", "never"));
    assertEquals("better", only(q, Rules.INVALID_CRITERIA).step());
  }

  @Test
  void rejectsANegativeMargin() {
    Pipeline q = champion(x -> {});
    q.condition("worse", metric("evaluate", "rmse").beats(production()).by(-1))
        .then(b -> b.fail("never2", "never"));
    assertTrue(
        problems(q).stream()
            .anyMatch(
                p -> p.rule().equals(Rules.INVALID_CRITERIA) && p.message().contains("-1.0")));
  }

  @Test
  void rejectsCriteriaOverAMetricNoStepProduces() {
    Pipeline q = champion(x -> {});
    q.successCriteria(metric("auc_pr").atLeast(0.5));
    // The condition that copies the criteria in reports it too, as a metric it reads.
    Problem problem = pipelineLevel(q, Rules.UNKNOWN_METRIC);
    assertTrue(problem.message().contains("'auc_pr'"), problem.message());
  }

  @Test
  void rejectsCriteriaOverAnUndeclaredParameter() {
    Pipeline q = champion(x -> {});
    q.successCriteria(metric("accuracy").atLeast(param("minAccuracy")));
    assertTrue(pipelineLevel(q, Rules.UNKNOWN_PARAMETER).message().contains("'minAccuracy'"));
  }

  @Test
  void rejectsCriteriaThatCompareWithProduction() {
    Pipeline q = champion(x -> {});
    q.successCriteria(metric("evaluate", "f1").beats(production()));
    assertEquals(null, only(q, Rules.INVALID_CRITERIA).step());
  }

  @Test
  void criteriaMayReadAMetricProducedAfterTheCondition() {
    Pipeline q = Pipeline.named("q");
    var raw = q.ingest("ingest").csv("data.csv").dataset();
    var train = q.train("train", raw).label("y");
    q.successCriteria(metric("rmse").atMost(2.0));
    q.evaluate("evaluate", train.model(), raw).label("y");
    assertEquals(
        new MetricRef("evaluate", "rmse"), ((Expr.Compare) q.compile().successCriteria()).left());
  }

  @Test
  void rejectsSuccessCriteriaInAConditionOfAPipelineWithoutThem() {
    Pipeline q = Pipeline.named("q");
    var raw = q.ingest("ingest").csv("data.csv").dataset();
    q.condition("goal", successCriteria())
        .then(b -> b.fail("never", "never"))
        .after(q.train("train", raw).label("y"));
    Problem problem = only(q, Rules.INVALID_CRITERIA);
    assertEquals("goal", problem.step());
  }

  @Test
  void nestsAndOrNotOverMetricsAndParameters() {
    Pipeline q = Pipeline.named("q");
    var maxRmse = q.doubleParam("maxRmse", 2.5, "bar");
    var raw = q.ingest("ingest").csv("data.csv").dataset();
    var train = q.train("train", raw).label("y");
    var evaluate = q.evaluate("evaluate", train.model(), raw).label("y");
    Check nested =
        evaluate
            .metric("rmse")
            .atMost(maxRmse)
            .and(
                not(evaluate.metric("r2").lessThan(0.3).or(evaluate.metric("mae").greaterThan(2))));
    q.condition("nested", nested).then(b -> b.fail("never", "never"));
    PipelinePlan plan = q.compile();
    Condition c = (Condition) plan.step("nested").orElseThrow();
    Expr.And and = assertInstanceOf(Expr.And.class, c.when());
    Expr.Not negated = assertInstanceOf(Expr.Not.class, and.parts().get(1));
    assertInstanceOf(Expr.Or.class, negated.part());
    assertEquals(plan, PlanJson.read(PlanJson.write(plan)));
    assertEquals(
        "(metric('evaluate.rmse') <= param('maxRmse') and not (metric('evaluate.r2') < 0.3 or"
            + " metric('evaluate.mae') > 2.0))",
        c.when().describe());
  }

  @Test
  void beatsRefusesAValueThatIsNotAMetric() {
    assertThrows(IllegalArgumentException.class, () -> param("x").beats(production()));
  }

  private static List<Problem> problems(Pipeline p) {
    return PipelineCompiler.check(p.build());
  }

  private static Problem pipelineLevel(Pipeline p, String rule) {
    return problems(p).stream()
        .filter(x -> x.rule().equals(rule) && x.step() == null)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + rule + " on the pipeline: " + problems(p)));
  }

  private static Problem only(Pipeline p, String rule) {
    PlanValidationException e =
        assertThrows(PlanValidationException.class, () -> PipelineCompiler.compile(p.build()));
    List<Problem> matching = e.problems().stream().filter(x -> x.rule().equals(rule)).toList();
    assertEquals(1, matching.size(), e.problems()::toString);
    return matching.get(0);
  }
}
