package dev.lifecycle.dsl.compile;

import static dev.lifecycle.dsl.compile.Plans.chainThen;
import static dev.lifecycle.dsl.compile.Plans.evaluate;
import static dev.lifecycle.dsl.compile.Plans.ingest;
import static dev.lifecycle.dsl.compile.Plans.out;
import static dev.lifecycle.dsl.compile.Plans.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.Approval;
import dev.lifecycle.dsl.plan.Condition;
import dev.lifecycle.dsl.plan.Expr;
import dev.lifecycle.dsl.plan.Fail;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.Split;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanGraphTest {
  /**
   * chain; condition ok (then: register, nested condition deep (then: note); otherwise: stop);
   * approval gate after ok.
   */
  private final PipelinePlan plan =
      chainThen(
          new Condition(
              "ok",
              new Expr.Compare(new MetricRef(null, "rmse"), Expr.Op.LE, new Literal(2.0)),
              List.of(
                  new Register("register", "m", out("train", "model"), null, null, null, null),
                  new Condition(
                      "deep",
                      new Expr.Compare(
                          new MetricRef("evaluate", "r2"), Expr.Op.GE, new Literal(0.5)),
                      List.of(
                          new Fail(
                              "note", "version {}", List.of(out("register", "version")), null)),
                      List.of(),
                      null)),
              List.of(
                  new Fail("stop", "rmse {}", List.of(new MetricRef("evaluate", "rmse")), null)),
              null),
          new Approval("gate", null, null, List.of("ok")));

  private final PlanGraph graph = PlanGraph.of(plan);

  @Test
  void dependenciesAreReadsAndAfterButNotTheEnclosingCondition() {
    assertEquals(Set.of("train", "split"), graph.dependencies("evaluate"));
    assertEquals(Set.of("evaluate"), graph.dependencies("ok"), "resolves metric(\"rmse\")");
    assertEquals(Set.of("train"), graph.dependencies("register"));
    assertEquals(Set.of("register"), graph.dependencies("note"));
    assertEquals(Set.of("ok"), graph.dependencies("gate"));
    assertEquals(List.of("gate"), graph.dependents("ok"));
  }

  @Test
  void knowsEachStepsConditionAndBranch() {
    assertEquals(Optional.empty(), graph.parent("train"));
    assertEquals(Optional.of("ok"), graph.parent("deep"));
    assertEquals(Optional.of("deep"), graph.parent("note"));
    assertEquals(Optional.of(PlanGraph.THEN), graph.branch("register"));
    assertEquals(Optional.of(PlanGraph.OTHERWISE), graph.branch("stop"));
    assertEquals(List.of("register", "deep"), graph.branchSteps("ok", true));
    assertEquals(List.of("stop"), graph.branchSteps("ok", false));
    assertEquals(List.of(), graph.branchSteps("deep", false));
  }

  @Test
  void ordersAStepAfterAConditionBehindAllItsBranches() {
    assertEquals(
        List.of(
            "ingest",
            "split",
            "train",
            "evaluate",
            "ok",
            "register",
            "deep",
            "note",
            "stop",
            "gate"),
        graph.topologicalOrder());
  }

  @Test
  void ordersByDependenciesNotByDeclaration() {
    PipelinePlan backwards =
        plan(
            new Split("split", out("ingest", "dataset"), 0.8, 0.1, 0.1, 1, null, null),
            ingest("ingest"));
    assertEquals(List.of("ingest", "split"), PlanGraph.of(backwards).topologicalOrder());
  }

  @Test
  void refusesToOrderACycle() {
    PipelinePlan cyclic =
        plan(
            new Approval("a", null, null, List.of("b")),
            new Approval("b", null, null, List.of("a")));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> PlanGraph.of(cyclic).topologicalOrder());
    assertTrue(e.getMessage().contains("[[a, b, a]]"), e.getMessage());
  }

  @Test
  void namesAnUnknownStep() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> graph.dependencies("nope"));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> graph.branchSteps("train", true));
  }

  @Test
  void leavesOutReferencesToStepsThatDoNotExist() {
    PlanGraph partial = PlanGraph.of(plan(evaluate("evaluate", "missing", "gone")));
    assertEquals(Set.of(), partial.dependencies("evaluate"));
  }
}
