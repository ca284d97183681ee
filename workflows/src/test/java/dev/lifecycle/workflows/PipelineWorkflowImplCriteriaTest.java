package dev.lifecycle.workflows;

import static dev.lifecycle.dsl.Check.not;
import static dev.lifecycle.dsl.Values.metric;
import static dev.lifecycle.dsl.Values.production;
import static dev.lifecycle.dsl.Values.successCriteria;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.Check;
import dev.lifecycle.dsl.Pipeline;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Success criteria, champion/challenger conditions and nested and/or/not in a run. */
class PipelineWorkflowImplCriteriaTest {

  @RegisterExtension static final TestWorkflowExtension testWorkflow = Runs.extension();

  /**
   * Train, evaluate, register the challenger, then deploy it only when its RMSE beats production's
   * by 0.01; otherwise fail.
   */
  static Pipeline champion() {
    Pipeline p = Pipeline.named("champion");
    var raw = p.ingest("ingest").csv("classpath:a.csv").dataset();
    var split = p.split("split", raw).ratios(0.8, 0.1, 0.1).seed(1);
    var train = p.train("train", split.train()).label("y").epochs(2);
    var evaluate = p.evaluate("evaluate", train.model(), split.test()).label("y");
    var register = p.register("register", "abalone-age", train.model()).metrics(evaluate);
    p.condition("better", evaluate.metric("rmse").beats(production()).by(0.01))
        .then(b -> b.deploy("serve", register).endpoint("abalone-age"))
        .otherwise(b -> b.fail("keep-production", "The challenger is not better"));
    return p;
  }

  /** A pipeline judged by {@code rmse <= maxRmse}, branching on its criteria. */
  static Pipeline judged() {
    Pipeline p = Pipeline.named("judged");
    var maxRmse = p.doubleParam("maxRmse", 2.2, "Largest RMSE the business accepts");
    var raw = p.ingest("ingest").csv("classpath:a.csv").dataset();
    var split = p.split("split", raw).ratios(0.8, 0.1, 0.1).seed(1);
    var train = p.train("train", split.train()).label("y").epochs(2);
    p.successCriteria(metric("rmse").atMost(maxRmse));
    var evaluate = p.evaluate("evaluate", train.model(), split.test()).label("y");
    p.condition("goal", successCriteria())
        .then(b -> b.register("register", "abalone-age", train.model()).metrics(evaluate));
    return p;
  }

  @Test
  void aChallengerThatBeatsProductionByTheMarginIsDeployedAndTakesTheAlias(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakeActivities fake = new FakeActivities().rmse(2.13);
    fake.registry().register("abalone-age", Map.of("rmse", 2.5));
    fake.registry().promote("abalone-age", 1);
    worker.registerActivitiesImplementations(fake);
    env.start();

    PipelineWorkflow run = Runs.stub(client, worker);
    RunStatus result = run.run(TestPlans.input(champion()));

    assertEquals(RunState.SUCCEEDED, result.state());
    assertEquals(StepState.SUCCEEDED, result.step("serve").state());
    assertEquals(StepState.SKIPPED, result.step("keep-production").state());
    assertEquals(
        "then: rmse 2.13 beats production abalone-age v1 rmse 2.5 by 0.01 (improvement 0.37,"
            + " lower is better)",
        result.step("better").message());
    assertEquals(2, fake.registry().productionVersion("abalone-age"), "alias moved to v2");
    // Six step activities (ingest, split, train, evaluate, register, serve) and one look-up.
    assertEquals(7, Runs.events(env, run, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED));
  }

  @Test
  void aChallengerShortOfTheMarginIsNotDeployedAndTheRunSaysWhy(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakeActivities fake = new FakeActivities().rmse(2.13);
    fake.registry().register("abalone-age", Map.of("rmse", 2.135));
    fake.registry().promote("abalone-age", 1);
    worker.registerActivitiesImplementations(fake);
    env.start();

    PipelineWorkflow run = Runs.stub(client, worker);
    ApplicationFailure failure = Runs.failure(run, TestPlans.input(champion()));

    assertEquals(FailureTypes.PIPELINE_FAILED, failure.getType());
    String message = failure.getOriginalMessage();
    assertTrue(
        message.startsWith("The challenger is not better (condition 'better' took"), message);
    assertTrue(
        message.contains("rmse 2.13 does not beat production abalone-age v1 rmse 2.135 by 0.01"),
        message);
    assertTrue(message.contains("improvement 0.005"), message);
    assertEquals(1, fake.registry().productionVersion("abalone-age"), "alias stays on v1");
    RunStatus status = run.status();
    assertEquals(StepState.SKIPPED, status.step("serve").state());
    assertEquals(StepState.FAILED, status.step("keep-production").state());
    assertTrue(fake.calls().stream().noneMatch(c -> c.activity().equals("Deploy")));
  }

  @Test
  void theFirstChallengerWinsWhenNothingIsInProduction(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakeActivities fake = new FakeActivities().rmse(3.5);
    worker.registerActivitiesImplementations(fake);
    env.start();

    RunStatus result = Runs.stub(client, worker).run(TestPlans.input(champion()));

    assertEquals(StepState.SUCCEEDED, result.step("serve").state());
    assertEquals(
        "then: rmse 3.5 wins: model 'abalone-age' has no production version yet, so the"
            + " challenger wins",
        result.step("better").message());
    assertEquals(1, fake.registry().productionVersion("abalone-age"));
  }

  @Test
  void reportsMetSuccessCriteriaAndBranchesOnThem(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakeActivities fake = new FakeActivities().rmse(2.13);
    worker.registerActivitiesImplementations(fake);
    env.start();

    RunStatus result = Runs.stub(client, worker).run(TestPlans.input(judged()));

    CriteriaStatus criteria = result.successCriteria();
    assertEquals(CriteriaStatus.MET, criteria.state());
    assertEquals("rmse 2.13 <= maxRmse 2.2", criteria.explanation());
    assertEquals("metric('evaluate.rmse') <= param('maxRmse')", criteria.criteria());
    assertEquals(
        "then: success criteria met (rmse 2.13 <= maxRmse 2.2)", result.step("goal").message());
    assertEquals(StepState.SUCCEEDED, result.step("register").state());
    assertEquals(
        true,
        fake.call("register").task().values().get(PipelineWorkflowImpl.SUCCESS_CRITERIA_MET),
        "the registry hears the verdict");
    assertTrue(
        result.message().endsWith("; success criteria met (rmse 2.13 <= maxRmse 2.2)"),
        result.message());
  }

  @Test
  void reportsUnmetSuccessCriteriaWithTheirValues(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakeActivities fake = new FakeActivities().rmse(2.4);
    worker.registerActivitiesImplementations(fake);
    env.start();

    RunStatus result =
        Runs.stub(client, worker).run(TestPlans.input(judged(), Map.of("maxRmse", 2.25)));

    assertEquals(RunState.SUCCEEDED, result.state());
    assertEquals(CriteriaStatus.NOT_MET, result.successCriteria().state());
    assertEquals("rmse 2.4 <= maxRmse 2.25", result.successCriteria().explanation());
    assertEquals(StepState.SKIPPED, result.step("register").state());
    assertTrue(result.message().contains("success criteria NOT met"), result.message());
  }

  @Test
  void aRunWithoutCriteriaReportsNone(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();

    RunStatus result = Runs.stub(client, worker).run(TestPlans.input(TestPlans.abalone()));

    assertNull(result.successCriteria());
  }

  @Test
  void evaluatesNestedAndOrNotOverMetricsAndParameters(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(new FakeActivities().rmse(2.0));
    env.start();

    // rmse 2 <= 2.5 and not (r2 0.55 < 0.3 or mae 1.4 > 1.5) -> then;
    // with maxMae 1.0 the inner or holds, the not fails, and the and fails -> otherwise.
    for (double maxMae : new double[] {1.5, 1.0}) {
      Pipeline p = Pipeline.named("nested");
      var maxRmse = p.doubleParam("maxRmse", 2.5, "bar");
      var maxMaeParam = p.doubleParam("maxMae", 1.5, "bar");
      var raw = p.ingest("ingest").csv("classpath:a.csv").dataset();
      var train = p.train("train", raw).label("y").epochs(1);
      var evaluate = p.evaluate("evaluate", train.model(), raw).label("y");
      Check nested =
          evaluate
              .metric("rmse")
              .atMost(maxRmse)
              .and(
                  not(
                      evaluate
                          .metric("r2")
                          .lessThan(0.3)
                          .or(evaluate.metric("mae").greaterThan(maxMaeParam))));
      p.condition("nested", nested)
          .then(b -> b.register("register", "m", train.model()))
          .otherwise(b -> b.register("register-anyway", "m", train.model()));

      RunStatus result =
          Runs.stub(client, worker).run(TestPlans.input(p, Map.of("maxMae", maxMae)));

      String taken = maxMae == 1.5 ? "then" : "otherwise";
      assertEquals(taken, result.step("nested").values().get("taken"));
      assertEquals(
          taken
              + ": (rmse 2 <= maxRmse 2.5 and not ((r2 0.55 < 0.3 or mae 1.4 > maxMae "
              + (maxMae == 1.5 ? "1.5" : "1")
              + ")))",
          result.step("nested").message());
    }
  }
}
