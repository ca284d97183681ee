package dev.lifecycle.workflows.labeling;

import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy.Completion;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.RetrySpec;
import dev.lifecycle.dsl.plan.StepOptions;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.LabelingActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Waits for a labeling job durably. Each pass reads the job's progress (an activity; with a
 * low-agreement policy, the activity first gives disputed items more annotators), ends the job when
 * the step's completion rule holds, sends a reminder when one is due, escalates past the deadline,
 * and sleeps until the next due time, the fallback poll, an {@code answers-changed} signal or a
 * {@code close} update, whichever comes first. With {@code retrainEvery}, a pass after that many
 * more human labels runs one turn of the Ground Truth loop ({@link #retrain}). When the history
 * grows past {@link #HISTORY_LIMIT} events the workflow continues as new, carrying its counters, so
 * a job of any size and length keeps every history small.
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
  private int retrains;
  private long retrainedAt;
  private ArtifactRef model;

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
      retrains = carried.retrains();
      retrainedAt = carried.retrainedAt();
      model = carried.model();
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
      if (retrainDue(label, progress)) {
        retrain(task, label, jobId, heavy);
        continue;
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
                    run + 1,
                    retrains,
                    retrainedAt,
                    model)));
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

  /** Whether people labeled {@code retrainEvery} more items since the last retraining. */
  private boolean retrainDue(Label label, LabelingProgress progress) {
    return label.retrainEvery() != null
        && progress.humanLabeled() - retrainedAt >= label.retrainEvery()
        && progress.humanLabeled() < progress.forPeople();
  }

  /**
   * One turn of the Ground Truth loop, in three activities: the labels so far as a training set,
   * the model fine-tuned on it (the train activity, as a train step would), and the open items
   * re-scored by the new model. Only the new model's reference stays in the workflow's state.
   */
  private void retrain(StepTask task, Label label, long jobId, LabelingActivities heavy) {
    retrainedAt = progress.humanLabeled();
    StepResult set = heavy.retrainingSet(task, jobId);
    ArtifactRef rows = set.artifacts().get("dataset");
    if (rows == null) {
      return;
    }
    Train train =
        new Train(
            label.name() + "-retrain-" + (retrains + 1),
            new OutputRef(label.name(), "retraining-set"),
            null,
            "label",
            Task.CLASSIFICATION,
            List.of(),
            new Literal(label.retrainEpochsOrDefault()),
            new Literal(Label.RETRAIN_BATCH_SIZE),
            new Literal(label.retrainLearningRateOrDefault()),
            retrains + 1,
            label.options(),
            List.of());
    Map<String, ArtifactRef> artifacts = new LinkedHashMap<>();
    Map<String, Object> values = new LinkedHashMap<>();
    artifacts.put("train", rows);
    // Always from the step's own model, on every label so far: no drift from turn to turn.
    ArtifactRef base = task.optionalArtifact("model").orElse(null);
    if (base != null) {
      artifacts.put("pretrained", base);
      train = train.withPretrained(new OutputRef(label.name(), "model"), null);
    } else {
      String location = task.string("model");
      values.put("pretrained", location);
      train = train.withPretrained(new Literal(location), null);
    }
    values.put("epochs", label.retrainEpochsOrDefault());
    values.put("batchSize", Label.RETRAIN_BATCH_SIZE);
    values.put("learningRate", label.retrainLearningRateOrDefault());
    TrainingActivities training =
        Workflow.newActivityStub(TrainingActivities.class, stepOptions(task));
    StepResult trained = training.train(new StepTask(task.run(), train, artifacts, values));
    model = trained.artifacts().get("model");
    LabelingRescore rescored = heavy.rescore(task, jobId, model);
    retrains++;
    log.info(
        "Label step '{}': model retrained on {} labels (turn {}), accuracy {} on {} held out;"
            + " {} open items re-scored, {} auto-labeled",
        step,
        set.metrics().get("rows"),
        retrains,
        rescored.heldOutAccuracy(),
        rescored.heldOut(),
        rescored.scored(),
        rescored.autoLabeled());
  }

  @Override
  public void answersChanged() {
    answersChanged = true;
  }

  @Override
  public LabelingStatus progress() {
    return new LabelingStatus(
        step, state, progress, reminders, escalations, deadlineAt, closedBy, run, retrains);
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
