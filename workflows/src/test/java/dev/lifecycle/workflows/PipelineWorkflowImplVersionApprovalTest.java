package dev.lifecycle.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.workflows.activities.VersionApproval;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Approval gates about a registered model version, answered on the run or in the registry. */
class PipelineWorkflowImplVersionApprovalTest {

  @RegisterExtension static final TestWorkflowExtension testWorkflow = Runs.extension();

  /** Register a model, wait weeks for sign-off on that version, then deploy it. */
  static Pipeline signedOff() {
    Pipeline p = Pipeline.named("signed-off");
    var raw = p.ingest("ingest").csv("classpath:a.csv").dataset();
    var train = p.train("train", raw).label("y").epochs(1);
    var register = p.register("register", "abalone-age", train.model());
    var gate = p.approval("sign-off").ofVersion(register).prompt("Ship this model?");
    p.deploy("serve", register).after(gate);
    return p;
  }

  @Test
  void anApprovalOnTheRunIsRecordedInTheRegistry(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client)
      throws InterruptedException {
    FakeActivities fake = new FakeActivities();
    worker.registerActivitiesImplementations(fake);
    env.start();

    PipelineWorkflow run = Runs.start(client, worker, TestPlans.input(signedOff()));
    RunStatus waiting = Runs.awaitStepState(run, "sign-off", StepState.WAITING);
    assertEquals("Ship this model? (abalone-age v1)", waiting.step("sign-off").message());
    env.sleep(Duration.ofDays(5)); // the run times out after 7 days in these tests
    run.approve(new ApprovalDecision(null, true, "ana", "metrics look right"));

    RunStatus result = WorkflowStub.fromTyped(run).getResult(RunStatus.class);
    assertEquals(RunState.SUCCEEDED, result.state());
    assertEquals(
        List.of(new VersionApproval("abalone-age", 1, true, "ana", "metrics look right")),
        fake.registry().approvals);
    assertEquals(StepState.SUCCEEDED, result.step("serve").state());
    assertEquals(1, result.step("sign-off").values().get("version"));
  }

  @Test
  void aRejectionOnTheRunIsRecordedAndFailsTheRun(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client)
      throws InterruptedException {
    FakeActivities fake = new FakeActivities();
    worker.registerActivitiesImplementations(fake);
    env.start();

    PipelineWorkflow run = Runs.start(client, worker, TestPlans.input(signedOff()));
    Runs.awaitStepState(run, "sign-off", StepState.WAITING);
    run.approve(new ApprovalDecision("sign-off", false, "ben", "recall too low"));

    WorkflowFailedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(run).getResult(RunStatus.class));
    ApplicationFailure failure = (ApplicationFailure) e.getCause();
    assertEquals(FailureTypes.APPROVAL_REJECTED, failure.getType());
    assertEquals(
        List.of(new VersionApproval("abalone-age", 1, false, "ben", "recall too low")),
        fake.registry().approvals);
    assertTrue(fake.calls().stream().noneMatch(c -> c.activity().equals("Deploy")));
  }

  @Test
  void anApprovalInTheRegistryOpensTheGate(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client)
      throws InterruptedException {
    FakeActivities fake = new FakeActivities();
    worker.registerActivitiesImplementations(fake);
    env.start();

    PipelineWorkflow run = Runs.start(client, worker, TestPlans.input(signedOff()));
    Runs.awaitStepState(run, "sign-off", StepState.WAITING);
    // Another version's decision is not this gate's.
    run.registryApproval(new VersionApproval("abalone-age", 7, true, "ana", null));
    run.registryApproval(new VersionApproval("abalone-age", 1, true, "ana", "fine"));

    RunStatus result = WorkflowStub.fromTyped(run).getResult(RunStatus.class);
    assertEquals(RunState.SUCCEEDED, result.state());
    assertEquals("Approved by ana: fine (in the registry)", result.step("sign-off").message());
    assertEquals(List.of(), fake.registry().approvals, "already in the registry: not written back");
  }

  @Test
  void aRegistryDecisionMadeBeforeTheGateWaitsIsKeptForIt(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client)
      throws InterruptedException {
    FakeActivities fake = new FakeActivities().blocking("register");
    worker.registerActivitiesImplementations(fake);
    env.start();

    PipelineWorkflow run = Runs.start(client, worker, TestPlans.input(signedOff()));
    Runs.awaitStepState(run, "register", StepState.RUNNING);
    run.registryApproval(new VersionApproval("abalone-age", 1, false, "ben", "not this one"));
    fake.release();

    WorkflowFailedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(run).getResult(RunStatus.class));
    ApplicationFailure failure = (ApplicationFailure) e.getCause();
    assertEquals(FailureTypes.APPROVAL_REJECTED, failure.getType());
    assertTrue(
        failure.getOriginalMessage().contains("rejected by ben: not this one (in the registry)"),
        failure.getOriginalMessage());
    assertEquals(List.of(), fake.registry().approvals);
  }
}
