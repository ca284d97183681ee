package dev.lifecycle.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.compile.PipelineCompiler;
import dev.lifecycle.dsl.compile.PlanGraph;
import dev.lifecycle.dsl.compile.Problem;
import dev.lifecycle.dsl.compile.Rules;
import dev.lifecycle.dsl.plan.Approval;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Approval gates about a registered model version. */
class ApprovalOfVersionTest {

  @Test
  void waitsForTheRegisterStepAndRoundTrips() {
    Pipeline p = Pipeline.named("p");
    var raw = p.ingest("ingest").csv("data.csv").dataset();
    var train = p.train("train", raw).label("y");
    var register = p.register("register", "m", train.model());
    p.approval("sign-off").ofVersion(register).expiresAfter(Duration.ofDays(30));
    PipelinePlan plan = p.compile();
    Approval gate = (Approval) plan.step("sign-off").orElseThrow();
    assertEquals("m", gate.modelName());
    assertEquals(new OutputRef("register", "version"), gate.version());
    assertTrue(PlanGraph.of(plan).dependencies("sign-off").contains("register"));
    assertEquals(plan, PlanJson.read(PlanJson.write(plan)));
  }

  @Test
  void rejectsAVersionThatIsNotARegisterStepsOrAnotherModelsName() {
    Pipeline p = Pipeline.named("p");
    var raw = p.ingest("ingest").csv("data.csv").dataset();
    var train = p.train("train", raw).label("y");
    p.register("register", "m", train.model());
    PipelinePlan built = p.build();
    List<dev.lifecycle.dsl.plan.Step> steps = new java.util.ArrayList<>(built.steps());
    steps.add(
        new Approval(
            "wrong-model", null, null, "other", new OutputRef("register", "version"), null));
    List<Problem> problems = PipelineCompiler.check(built.withSteps(steps));
    assertTrue(
        problems.stream()
            .anyMatch(
                x ->
                    x.rule().equals(Rules.INVALID_VALUE)
                        && "wrong-model".equals(x.step())
                        && x.message().contains("'other'")),
        problems::toString);
  }
}
