package dev.lifecycle.activities.training;

import dev.lifecycle.workflows.PipelineWorkflow;
import dev.lifecycle.workflows.StepProgress;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a training activity's run how far it got, with the {@code training-progress} signal, so
 * that the run's {@code status} query (and so {@code ./lifecycle run} and the run page) show the
 * epoch, the losses and an ETA.
 *
 * <p>Why a signal and not the heartbeat alone: heartbeat details are visible to a retry and to
 * {@code DescribeWorkflowExecution}, never to workflow code, so a query cannot answer with them.
 * Why bounded: each signal adds a signal event and a workflow task (about four events) to the run's
 * history, so it is sent once when training starts, then at most once per epoch and at most once
 * per {@code interval} (30 s by default), and after the last epoch: 100 epochs add at most about
 * 400 events, and ten hours of training at most about 4,800, however short the epochs.
 *
 * <p>Progress is best effort: a failed signal (the run is gone, the activity runs outside a {@code
 * PipelineWorkflow}, the service is briefly unreachable) is logged and never fails training.
 */
final class ProgressSignal {
  private static final Logger log = LoggerFactory.getLogger(ProgressSignal.class);

  private final ActivityExecutionContext context;
  private final String step;
  private final int totalEpochs;
  private final int startEpoch;
  private final long startedNanos = System.nanoTime();
  private final long intervalNanos;
  private long lastSentNanos;
  private boolean sentOnce;
  private boolean broken;

  ProgressSignal(
      ActivityExecutionContext context,
      String step,
      int startEpoch,
      int totalEpochs,
      Duration interval) {
    this.context = context;
    this.step = step;
    this.startEpoch = startEpoch;
    this.totalEpochs = totalEpochs;
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Whether a report of {@code epoch} at {@code nowNanos} goes out, and if so notes it as sent: the
   * first always, the last epoch's always, others when the interval has passed since the last one.
   */
  boolean due(int epoch, long nowNanos) {
    boolean last = epoch >= totalEpochs;
    if (sentOnce && !last && nowNanos - lastSentNanos < intervalNanos) {
      return false;
    }
    sentOnce = true;
    lastSentNanos = nowNanos;
    return true;
  }

  /**
   * Reports {@code progress} unless the last report is younger than the interval; the first and the
   * last epoch's reports always go.
   */
  void report(TrainingProgress progress) {
    long now = System.nanoTime();
    if (broken || !due(progress.epoch(), now)) {
      return;
    }
    int trained = progress.epoch() - startEpoch;
    Long eta =
        trained <= 0
            ? null
            : (long) ((now - startedNanos) / 1e6 / trained * (totalEpochs - progress.epoch()));
    ActivityInfo info = context.getInfo();
    StepProgress report =
        new StepProgress(
            step,
            info.getAttempt(),
            progress.epoch(),
            totalEpochs,
            progress.trainLoss(),
            progress.validationLoss(),
            progress.elapsedMillis(),
            eta,
            System.currentTimeMillis());
    if (!PipelineWorkflow.TYPE.equals(info.getWorkflowType())) {
      // Another workflow type has no such signal; nothing to tell.
      broken = true;
      return;
    }
    try {
      WorkflowClient client = context.getWorkflowClient();
      client
          .newUntypedWorkflowStub(
              info.getWorkflowId(), Optional.of(info.getRunId()), Optional.empty())
          .signal(PipelineWorkflow.TRAINING_PROGRESS_SIGNAL, report);
    } catch (WorkflowNotFoundException e) {
      // The run has ended; the heartbeat will stop this attempt.
      broken = true;
    } catch (RuntimeException e) {
      log.warn(
          "Step '{}': cannot report progress to run {} ({}); training goes on",
          step,
          info.getWorkflowId(),
          e.toString());
    }
  }
}
