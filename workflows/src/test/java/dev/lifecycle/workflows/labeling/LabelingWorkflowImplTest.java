package dev.lifecycle.workflows.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.LabelPolicy.Completion;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import dev.lifecycle.workflows.activities.StepResult;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The labeling workflow against counters: waits, signals, timers, close, continue-as-new. */
class LabelingWorkflowImplTest {

  private static LabelingWorkflow stub(TestWorkflowEnvironment env, String id) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            LabelingWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(LabelingTasks.QUEUE)
                .setWorkflowId(id)
                .build());
  }

  @Test
  void keepsEveryHistorySmallWhileTenThousandItemsAreLabeled() {
    try (TestWorkflowEnvironment env = LabelingTasks.environment()) {
      FakeLabelingActivities store = new FakeLabelingActivities(10_000);
      LabelingTasks.register(env, store);
      env.start();
      LabelingWorkflow job = stub(env, "run-wf/label/label");
      WorkflowExecution first =
          WorkflowClient.start(
              job::run,
              LabelingTasks.input(
                  LabelingTasks.step(null, Duration.ofDays(1), null, Completion.ALL, null)));
      // 10,000 answers over about 4 simulated days, the API signalling every 50.
      for (int batch = 0; batch < 200; batch++) {
        store.answer(50);
        job.answersChanged();
        env.sleep(Duration.ofMinutes(30));
      }
      StepResult result = WorkflowStub.fromTyped(job).getResult(StepResult.class);
      assertEquals(10_000.0, result.metrics().get("labeled"));
      assertEquals(1, store.prepared.get(), "prepared once, not per run");
      assertEquals(1, store.consolidations.get());

      List<Integer> sizes = historySizes(env, first);
      assertTrue(sizes.size() > 1, "continued as new: " + sizes);
      for (int size : sizes) {
        assertTrue(size < 300, "every history under 300 events: " + sizes);
      }
      assertTrue(store.reminders.get() >= 3, "daily reminders over 4 days: " + store.reminders);
      assertEquals(store.reminders.get(), job.progress().reminders(), "carried over every run");
    }
  }

  @Test
  void asksForMoreAnnotatorsOnEveryReadWhenTheStepHasALowAgreementPolicy() {
    try (TestWorkflowEnvironment env = LabelingTasks.environment()) {
      FakeLabelingActivities store = new FakeLabelingActivities(4);
      LabelingTasks.register(env, store);
      env.start();
      LabelingWorkflow job = stub(env, "disputed");
      dev.lifecycle.dsl.plan.Label plain =
          LabelingTasks.step(null, null, null, Completion.ALL, null);
      dev.lifecycle.dsl.plan.Label step =
          new dev.lifecycle.dsl.plan.Label(
              plain.name(),
              plain.dataset(),
              plain.schema(),
              plain.instructions(),
              2,
              plain.consolidation(),
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              plain.escalation(),
              plain.completion(),
              null,
              List.of("ana", "ben", "chen"),
              0.7,
              3,
              null,
              null,
              null,
              null,
              null);
      WorkflowClient.start(job::run, LabelingTasks.input(step));
      store.answer(4);
      job.answersChanged();
      StepResult result = WorkflowStub.fromTyped(job).getResult(StepResult.class);
      assertEquals(4.0, result.metrics().get("labeled"));
      assertTrue(store.moreAnnotatorsReads.get() >= 1, "read through RequestMoreAnnotators");
      assertEquals(0, store.progressReads.get() - store.moreAnnotatorsReads.get());
    }
  }

  @Test
  void remindsOnTimerAndEndsOnQuota() {
    try (TestWorkflowEnvironment env = LabelingTasks.environment()) {
      FakeLabelingActivities store = new FakeLabelingActivities(100);
      LabelingTasks.register(env, store);
      env.start();
      LabelingWorkflow job = stub(env, "quota");
      WorkflowClient.start(
          job::run,
          LabelingTasks.input(
              LabelingTasks.step(
                  Duration.ofDays(10),
                  Duration.ofDays(1),
                  Escalation.NOTIFY,
                  Completion.QUOTA,
                  60)));
      env.sleep(Duration.ofHours(50));
      LabelingStatus waiting = job.progress();
      assertEquals(LabelingState.WAITING, waiting.state());
      assertEquals(2, waiting.reminders());
      assertEquals(2, store.reminders.get());
      store.answer(60);
      // No signal: the fallback poll notices within the hour.
      env.sleep(Duration.ofHours(1));
      StepResult result = WorkflowStub.fromTyped(job).getResult(StepResult.class);
      assertEquals(60.0, result.metrics().get("human_labeled"));
    }
  }

  @Test
  void escalatesOncePastTheDeadlineAndKeepsWaiting() {
    try (TestWorkflowEnvironment env = LabelingTasks.environment()) {
      FakeLabelingActivities store = new FakeLabelingActivities(10);
      LabelingTasks.register(env, store);
      env.start();
      LabelingWorkflow job = stub(env, "notify");
      WorkflowClient.start(
          job::run,
          LabelingTasks.input(
              LabelingTasks.step(
                  Duration.ofDays(2), null, Escalation.NOTIFY, Completion.ALL, null)));
      env.sleep(Duration.ofDays(5));
      assertEquals(1, job.progress().escalations());
      assertEquals(1, store.escalations.get());
      assertEquals(LabelingState.WAITING, job.progress().state());
      store.answer(10);
      job.answersChanged();
      WorkflowStub.fromTyped(job).getResult(StepResult.class);
    }
  }

  @Test
  void closesAtTheDeadlineWithTheLabelsItHas() {
    try (TestWorkflowEnvironment env = LabelingTasks.environment()) {
      FakeLabelingActivities store = new FakeLabelingActivities(10);
      LabelingTasks.register(env, store);
      env.start();
      LabelingWorkflow job = stub(env, "deadline");
      WorkflowClient.start(
          job::run,
          LabelingTasks.input(
              LabelingTasks.step(Duration.ofDays(3), null, null, Completion.DEADLINE, null)));
      store.answer(4);
      StepResult result = WorkflowStub.fromTyped(job).getResult(StepResult.class);
      assertEquals(4.0, result.metrics().get("labeled"));
      assertEquals("deadline", job.progress().closedBy());
    }
  }

  @Test
  void failsPastTheDeadlineWhenEscalationIsFail() {
    try (TestWorkflowEnvironment env = LabelingTasks.environment()) {
      LabelingTasks.register(env, new FakeLabelingActivities(10));
      env.start();
      LabelingWorkflow job = stub(env, "fail");
      WorkflowClient.start(
          job::run,
          LabelingTasks.input(
              LabelingTasks.step(Duration.ofDays(1), null, Escalation.FAIL, Completion.ALL, null)));
      WorkflowFailedException e =
          assertThrows(
              WorkflowFailedException.class,
              () -> WorkflowStub.fromTyped(job).getResult(StepResult.class));
      ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
      assertEquals(LabelingWorkflowImpl.DEADLINE_MISSED, cause.getType());
      assertTrue(cause.getOriginalMessage().contains("'label'"), cause.getOriginalMessage());
    }
  }

  @Test
  void closeUpdateEndsTheJobEarlyAndIsRejectedOnceClosed() {
    try (TestWorkflowEnvironment env = LabelingTasks.environment()) {
      FakeLabelingActivities store = new FakeLabelingActivities(10);
      LabelingTasks.register(env, store);
      env.start();
      LabelingWorkflow job = stub(env, "close");
      WorkflowClient.start(
          job::run,
          LabelingTasks.input(LabelingTasks.step(null, null, null, Completion.ALL, null)));
      env.sleep(Duration.ofHours(3));
      store.answer(3);
      LabelingStatus closed = job.close("enough for a first model");
      assertEquals("enough for a first model", closed.closedBy());
      WorkflowUpdateException again =
          assertThrows(WorkflowUpdateException.class, () -> job.close("twice"));
      assertTrue(
          String.valueOf(again.getCause().getMessage()).contains("already"), again.toString());
      StepResult result = WorkflowStub.fromTyped(job).getResult(StepResult.class);
      assertEquals(3.0, result.metrics().get("labeled"));
      assertEquals(LabelingState.DONE, job.progress().state());
    }
  }

  /** The event count of every run of the chain that starts at {@code first}. */
  static List<Integer> historySizes(TestWorkflowEnvironment env, WorkflowExecution first) {
    List<Integer> sizes = new ArrayList<>();
    WorkflowExecution execution = first;
    while (execution != null) {
      List<HistoryEvent> events =
          env.getWorkflowExecutionHistory(execution).getHistory().getEventsList();
      sizes.add(events.size());
      HistoryEvent last = events.get(events.size() - 1);
      execution =
          last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
              ? WorkflowExecution.newBuilder()
                  .setWorkflowId(first.getWorkflowId())
                  .setRunId(
                      last.getWorkflowExecutionContinuedAsNewEventAttributes()
                          .getNewExecutionRunId())
                  .build()
              : null;
    }
    return sizes;
  }
}
