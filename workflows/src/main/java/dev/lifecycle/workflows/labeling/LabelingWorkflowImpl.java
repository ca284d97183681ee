package dev.lifecycle.workflows.labeling;

import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy.Completion;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import dev.lifecycle.dsl.plan.RetrySpec;
import dev.lifecycle.dsl.plan.StepOptions;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.LabelingActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Waits for a labeling job durably. Each pass reads the job's progress (an activity; with a
 * low-agreement policy, the activity first gives disputed items more annotators), ends the job when
 * the step's completion rule holds, sends a reminder when one is due, escalates past the deadline,
 * and sleeps until the next due time, the fallback poll, an {@code answers-changed} signal or a
 * {@code close} update, whichever comes first. When the history grows past {@link #HISTORY_LIMIT}
 * events the workflow continues as new, carrying its counters, so a job of any size and length
 * keeps every history small.
 */
public class LabelingWorkflowImpl implements LabelingWorkflow {

  /** Events after which a run continues as new. */
  static final int HISTORY_LIMIT = 200;

  /** How often progress is read when no signal comes (the API signals only milestones). */
  static final Duration POLL_INTERVAL = Duration.ofHours(1);

  /** Failure type of a label step whose deadline passed with escalation {@code fail}. */
  public static final String DEADLINE_MISSED = FailureTypes.LABELING_DEADLINE_MISSED;

  /** Reading counts and reminding are quick; a database outage must not end a weeks-long job. */
  private static final ActivityOptions QUICK =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(5))
                  .setDoNotRetry(FailureTypes.NON_RETRYABLE)
                  .build())
          .build();

  private static final Logger log = Workflow.getLogger(LabelingWorkflowImpl.class);

  private String step;
  private LabelingState state = LabelingState.PREPARING;
  private LabelingProgress progress;
  private int reminders;
  private int escalations;
  private Long deadlineAt;
  private String closedBy;
  private boolean answersChanged;
  private int run;

  @Override
  public StepResult run(LabelingInput input) {
    StepTask task = input.task();
    if (!(task.step() instanceof Label label)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "LabelingWorkflow runs label steps; step '"
              + task.stepName()
              + "' is a "
              + task.step().kind()
              + " step",
          FailureTypes.INVALID_PLAN);
    }
    step = label.name();
    LabelingActivities heavy =
        Workflow.newActivityStub(LabelingActivities.class, stepOptions(task));
    LabelingActivities quick =
        Workflow.newActivityStub(LabelingActivities.class, quickOptions(task));

    LabelingInput.Carried carried = input.carried();
    long jobId;
    long startedAt;
    long nextReminderAt;
    if (carried == null) {
      jobId = heavy.prepare(task).jobId();
      startedAt = Workflow.currentTimeMillis();
      nextReminderAt =
          label.reminderInterval() == null ? 0 : startedAt + label.reminderInterval().toMillis();
    } else {
      jobId = carried.jobId();
      startedAt = carried.startedAt();
      nextReminderAt = carried.nextReminderAt();
      reminders = carried.reminders();
      escalations = carried.escalations();
      answersChanged = carried.answersChanged();
      run = carried.run();
    }
    deadlineAt = label.deadline() == null ? null : startedAt + label.deadline().toMillis();
    state = LabelingState.WAITING;

    while (true) {
      answersChanged = false;
      // With a low-agreement policy, the same read first gives disputed items more annotators.
      progress =
          label.agreementThreshold() == null
              ? quick.progress(jobId)
              : quick.moreAnnotators(task, jobId);
      if (closedBy != null || complete(label, progress)) {
        break;
      }
      long now = Workflow.currentTimeMillis();
      if (deadlineAt != null && now >= deadlineAt) {
        if (label.completion() == Completion.DEADLINE || label.escalation() == Escalation.CLOSE) {
          closedBy = "deadline";
          break;
        }
        if (label.escalation() == Escalation.FAIL) {
          throw ApplicationFailure.newNonRetryableFailure(
              "Label step '"
                  + step
                  + "' missed its deadline of "
                  + label.deadline()
                  + ": "
                  + progress.humanLabeled()
                  + " of "
                  + progress.forPeople()
                  + " items labeled; waiting on "
                  + progress.waitingOn(),
              DEADLINE_MISSED);
        }
        if (escalations == 0) {
          escalations++;
          List<String> late = quick.remind(jobId, true);
          log.warn("Label step '{}' passed its deadline; escalated, late: {}", step, late);
        }
      }
      if (nextReminderAt > 0 && now >= nextReminderAt) {
        List<String> reminded = quick.remind(jobId, false);
        reminders++;
        log.info("Label step '{}': reminder {} sent to {}", step, reminders, reminded);
        long interval = label.reminderInterval().toMillis();
        while (nextReminderAt <= now) {
          nextReminderAt += interval;
        }
      }
      if (Workflow.getInfo().getHistoryLength() > HISTORY_LIMIT) {
        Workflow.continueAsNew(
            new LabelingInput(
                task,
                new LabelingInput.Carried(
                    jobId,
                    startedAt,
                    nextReminderAt,
                    reminders,
                    escalations,
                    answersChanged,
                    run + 1)));
      }
      long wake = now + POLL_INTERVAL.toMillis();
      if (nextReminderAt > 0) {
        wake = Math.min(wake, nextReminderAt);
      }
      if (deadlineAt != null && deadlineAt > now) {
        wake = Math.min(wake, deadlineAt);
      }
      Workflow.await(
          Duration.ofMillis(Math.max(1, wake - now)), () -> answersChanged || closedBy != null);
    }
    state = LabelingState.CONSOLIDATING;
    StepResult result = heavy.consolidate(task, jobId);
    state = LabelingState.DONE;
    return result;
  }

  /** Whether the step's completion rule holds (a deadline rule ends at the deadline, or sooner). */
  static boolean complete(Label label, LabelingProgress progress) {
    boolean all = progress.humanLabeled() >= progress.forPeople();
    if (label.completion() == Completion.QUOTA && label.quota() != null) {
      return all || progress.humanLabeled() >= label.quota();
    }
    return all;
  }

  @Override
  public void answersChanged() {
    answersChanged = true;
  }

  @Override
  public LabelingStatus progress() {
    return new LabelingStatus(
        step, state, progress, reminders, escalations, deadlineAt, closedBy, run);
  }

  @Override
  public LabelingStatus close(String reason) {
    closedBy = reason == null || reason.isBlank() ? "closed by an administrator" : reason.strip();
    return progress();
  }

  @Override
  public void validateClose(String reason) {
    if (closedBy != null) {
      throw new IllegalStateException(
          "The labeling job of step '" + step + "' is already closed (" + closedBy + ")");
    }
    if (state == LabelingState.CONSOLIDATING || state == LabelingState.DONE) {
      throw new IllegalStateException(
          "The labeling job of step '" + step + "' is already complete (" + state + ")");
    }
  }

  /** Preparing and consolidating run as long as the step allows, with the step's retry policy. */
  private static ActivityOptions stepOptions(StepTask task) {
    StepOptions options = task.step().options();
    RetrySpec retry = options.retryOrDefault();
    List<String> doNotRetry = new ArrayList<>(List.of(FailureTypes.NON_RETRYABLE));
    for (String type : retry.nonRetryableErrorTypes()) {
      if (!doNotRetry.contains(type)) {
        doNotRetry.add(type);
      }
    }
    ActivityOptions.Builder builder =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(options.timeoutOrDefault())
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setMaximumAttempts(retry.maximumAttempts())
                    .setInitialInterval(retry.initialInterval())
                    .setBackoffCoefficient(retry.backoffCoefficient())
                    .setMaximumInterval(retry.maximumInterval())
                    .setDoNotRetry(doNotRetry.toArray(String[]::new))
                    .build());
    if (options.taskQueue() != null) {
      builder.setTaskQueue(options.taskQueue());
    }
    if (options.heartbeatTimeout() != null) {
      builder.setHeartbeatTimeout(options.heartbeatTimeout());
    }
    return builder.build();
  }

  private static ActivityOptions quickOptions(StepTask task) {
    String queue = task.step().options().taskQueue();
    return queue == null ? QUICK : ActivityOptions.newBuilder(QUICK).setTaskQueue(queue).build();
  }
}
