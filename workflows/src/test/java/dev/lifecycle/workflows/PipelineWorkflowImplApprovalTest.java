package dev.lifecycle.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Approval gates: the {@code approve} update and signal, rejection, expiry, the validator. */
class PipelineWorkflowImplApprovalTest {

  @RegisterExtension static final TestWorkflowExtension testWorkflow = Runs.extension();

  @Test
  void goesOnWhenApprovedByUpdate(TestWorkflowEnvironment env, Worker worker, WorkflowClient client)
      throws InterruptedException {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();

    PipelineWorkflow run = Runs.start(client, worker, TestPlans.input(TestPlans.gated(null)));
    RunStatus waiting = Runs.awaitStepState(run, "approve-split", StepState.WAITING);
    assertEquals(RunState.WAITING_APPROVAL, waiting.state());
    assertEquals("Split the data?", waiting.step("approve-split").message());
    assertEquals(StepState.PENDING, waiting.step("split").state());
    assertEquals("WAITING_APPROVAL", Runs.searchAttribute(run, Names.SA_STATE));

    ApprovalDecision answer =
        run.approve(new ApprovalDecision(null, null, "ana", "numbers look right"));

    assertEquals(new ApprovalDecision("approve-split", true, "ana", "numbers look right"), answer);
    RunStatus result = WorkflowStub.fromTyped(run).getResult(RunStatus.class);
    assertEquals(RunState.SUCCEEDED, result.state());
    StepStatus gate = result.step("approve-split");
    assertEquals(StepState.SUCCEEDED, gate.state());
    assertEquals("ana", gate.values().get("approver"));
    assertEquals("Approved by ana: numbers look right", gate.message());
    assertEquals(StepState.SUCCEEDED, result.step("split").state());
    assertTrue(result.step("split").startedAt() >= gate.endedAt());
  }

  @Test
  void goesOnWhenApprovedBySignal(TestWorkflowEnvironment env, Worker worker, WorkflowClient client)
      throws InterruptedException {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();

    PipelineWorkflow run = Runs.start(client, worker, TestPlans.input(TestPlans.gated(null)));
    Runs.awaitStepState(run, "approve-split", StepState.WAITING);
    // An invalid signal is logged and ignored; the gate keeps waiting.
    run.approveSignal(new ApprovalDecision("no-such-gate", true, "bob", null));
    run.approveSignal(new ApprovalDecision("approve-split", true, "ana", null));

    RunStatus result = WorkflowStub.fromTyped(run).getResult(RunStatus.class);
    assertEquals(RunState.SUCCEEDED, result.state());
    assertEquals("ana", result.step("approve-split").values().get("approver"));
    assertEquals("Approved by ana", result.step("approve-split").message());
  }

  @Test
  void failsTheRunNamingApproverAndCommentWhenRejected(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client)
      throws InterruptedException {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();

    PipelineWorkflow run = Runs.start(client, worker, TestPlans.input(TestPlans.gated(null)));
    Runs.awaitStepState(run, "approve-split", StepState.WAITING);
    run.approve(new ApprovalDecision("approve-split", false, "ana", "data from last year"));

    ApplicationFailure failure = resultFailure(run);
    assertEquals(FailureTypes.APPROVAL_REJECTED, failure.getType());
    assertEquals(
        "Approval 'approve-split' rejected by ana: data from last year",
        failure.getOriginalMessage());
    RunStatus status = run.status();
    assertEquals(RunState.FAILED, status.state());
    assertEquals(StepState.FAILED, status.step("approve-split").state());
    assertEquals(StepState.SKIPPED, status.step("split").state());
  }

  @Test
  void failsTheRunWhenNobodyAnswersBeforeTheGateExpires(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client)
      throws InterruptedException {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();

    PipelineWorkflow run =
        Runs.start(client, worker, TestPlans.input(TestPlans.gated(Duration.ofDays(3))));
    Runs.awaitStepState(run, "approve-split", StepState.WAITING);
    env.sleep(Duration.ofDays(2));
    assertEquals(StepState.WAITING, run.status().step("approve-split").state());
    env.sleep(Duration.ofDays(2));

    ApplicationFailure failure = resultFailure(run);
    assertEquals(FailureTypes.APPROVAL_REJECTED, failure.getType());
    assertTrue(
        failure.getOriginalMessage().startsWith("Approval 'approve-split' expired"),
        failure.getOriginalMessage());
    assertTrue(failure.getOriginalMessage().contains("PT72H"), failure.getOriginalMessage());
  }

  @Test
  void rejectsAnUpdateWhenNoGateWaits(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client)
      throws InterruptedException {
    FakeActivities fake = new FakeActivities().blocking("split");
    worker.registerActivitiesImplementations(fake);
    env.start();

    PipelineWorkflow run = Runs.start(client, worker, TestPlans.input(TestPlans.threeGates()));
    try {
      Runs.awaitStatus(
          run,
          s ->
              s.step("left").state() == StepState.WAITING
                  && s.step("right").state() == StepState.WAITING);

      String ambiguous = rejection(run, new ApprovalDecision(null, true, "ana", null));
      assertTrue(ambiguous.contains("Several approval gates wait: [left, right]"), ambiguous);
      String notAGate = rejection(run, new ApprovalDecision("ingest", true, "ana", null));
      assertTrue(notAGate.contains("'ingest' is a ingest step, not an approval gate"), notAGate);
      String unknown = rejection(run, new ApprovalDecision("lft", true, "ana", null));
      assertTrue(unknown.contains("has no step 'lft'"), unknown);
      String notYet = rejection(run, new ApprovalDecision("last", true, "ana", null));
      assertTrue(notYet.contains("'last' is not waiting for an answer (it is pending)"), notYet);

      run.approve(new ApprovalDecision("left", true, "ana", null));
      run.approve(new ApprovalDecision("right", true, "bob", null));
      Runs.awaitStepState(run, "split", StepState.RUNNING);
      assertEquals(RunState.RUNNING, run.status().state());

      String none = rejection(run, new ApprovalDecision(null, true, "ana", null));
      assertTrue(none.startsWith("No approval gate is waiting"), none);
      String again = rejection(run, new ApprovalDecision("left", true, "ana", null));
      assertTrue(again.contains("'left' is not waiting for an answer (it is succeeded)"), again);
    } finally {
      fake.release();
    }
    Runs.awaitStepState(run, "last", StepState.WAITING);
    run.approve(new ApprovalDecision(null, true, "carol", null));
    assertEquals(
        RunState.SUCCEEDED, WorkflowStub.fromTyped(run).getResult(RunStatus.class).state());
  }

  private static String rejection(PipelineWorkflow run, ApprovalDecision decision) {
    WorkflowUpdateException e =
        assertThrows(WorkflowUpdateException.class, () -> run.approve(decision));
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(IllegalArgumentException.class.getName(), cause.getType());
    return cause.getOriginalMessage();
  }

  private static ApplicationFailure resultFailure(PipelineWorkflow run) {
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(run).getResult(RunStatus.class));
    return assertInstanceOf(ApplicationFailure.class, e.getCause());
  }
}
