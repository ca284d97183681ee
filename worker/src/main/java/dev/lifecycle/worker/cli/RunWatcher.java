package dev.lifecycle.worker.cli;

import dev.lifecycle.worker.temporal.Failures;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.worker.temporal.RunRequestException;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepProgress;
import dev.lifecycle.workflows.StepState;
import dev.lifecycle.workflows.StepStatus;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Follows a run until it ends, printing a line each time a step changes state: when, the step, its
 * new state, how long it took, its metrics and summary; and, while a training step runs, a line
 * each time it reports progress (epoch, losses, ETA). Polls the {@code status} query; the run's
 * result tells when it is over.
 */
public final class RunWatcher {
  /** How long a run may stay silent before the watcher says so. */
  static final Duration SILENCE_WARNING = Duration.ofSeconds(30);

  private final PipelineRuns runs;
  private final PrintStream out;
  private final Duration interval;
  private final Map<String, StepProgress> progressSeen = new HashMap<>();

  public RunWatcher(PipelineRuns runs, PrintStream out, Duration interval) {
    this.runs = runs;
    this.out = out;
    this.interval = interval;
  }

  /**
   * How a run ended.
   *
   * @param status its last known status (null when it could never be queried)
   * @param message why it failed, or null when it succeeded
   */
  public record Outcome(RunStatus status, boolean succeeded, String message) {}

  /** Watches {@code workflowId} until it ends. */
  public Outcome watch(String workflowId) throws InterruptedException {
    long start = System.nanoTime();
    CompletableFuture<RunStatus> result = runs.stub(workflowId).getResultAsync(RunStatus.class);
    Map<String, StepState> seen = new HashMap<>();
    RunState[] runState = {null};
    RunStatus last = null;
    long lastAnswer = System.nanoTime();
    boolean warned = false;
    while (true) {
      RunStatus status = tryStatus(workflowId);
      if (status != null) {
        last = status;
        lastAnswer = System.nanoTime();
        warned = false;
        print(status, seen, runState, workflowId, start);
      } else if (!warned && System.nanoTime() - lastAnswer > SILENCE_WARNING.toNanos()) {
        warned = true;
        out.printf(
            "Run %s has not answered its status for %ds: is a worker serving its task queue? A"
                + " workflow task that keeps failing shows in the worker's log.%n",
            workflowId, SILENCE_WARNING.toSeconds());
      }
      try {
        RunStatus finalStatus = result.get(interval.toMillis(), TimeUnit.MILLISECONDS);
        print(finalStatus, seen, runState, workflowId, start);
        boolean ok = finalStatus.state() == RunState.SUCCEEDED;
        return finish(workflowId, finalStatus, ok, ok ? null : finalStatus.message(), start);
      } catch (TimeoutException e) {
        // Still running: poll again.
      } catch (ExecutionException e) {
        RunStatus closed = tryStatus(workflowId);
        if (closed != null) {
          last = closed;
          print(closed, seen, runState, workflowId, start);
        }
        String message = Failures.message(e.getCause());
        return finish(workflowId, last, false, message, start);
      }
    }
  }

  private Outcome finish(
      String workflowId, RunStatus status, boolean ok, String message, long start) {
    String took = seconds(System.nanoTime() - start);
    if (ok) {
      out.printf("Run %s SUCCEEDED in %s%n", workflowId, took);
    } else {
      RunState state = status == null ? RunState.FAILED : status.state();
      out.printf(
          "Run %s %s after %s: %s%n",
          workflowId, state == RunState.CANCELLED ? "CANCELLED" : "FAILED", took, message);
    }
    return new Outcome(status, ok, message);
  }

  private RunStatus tryStatus(String workflowId) {
    try {
      return runs.status(workflowId);
    } catch (RunRequestException e) {
      // No worker has answered yet (or the run is between tasks): the next poll will.
      return null;
    }
  }

  private void print(
      RunStatus status, Map<String, StepState> seen, RunState[] runState, String id, long start) {
    String at = "[" + String.format(Locale.ROOT, "%7s", seconds(System.nanoTime() - start)) + "]";
    for (StepStatus step : status.steps()) {
      StepState before = seen.getOrDefault(step.name(), StepState.PENDING);
      if (step.state() == before) {
        StepProgress progress = step.progress();
        if (step.state() == StepState.RUNNING
            && progress != null
            && !progress.equals(progressSeen.get(step.name()))) {
          progressSeen.put(step.name(), progress);
          out.println(
              at + " " + String.format(Locale.ROOT, "%-20s ", step.name()) + progress(progress));
        }
        continue;
      }
      seen.put(step.name(), step.state());
      if (step.progress() != null) {
        progressSeen.put(step.name(), step.progress());
      }
      out.println(at + " " + describe(step));
    }
    if (status.state() != runState[0]) {
      runState[0] = status.state();
      if (status.state() == RunState.WAITING_APPROVAL) {
        status.steps().stream()
            .filter(s -> s.state() == StepState.WAITING)
            .forEach(
                s ->
                    out.printf(
                        "%s Waiting for approval at '%s': ./lifecycle approve %s --step %s"
                            + " [--reject]%n",
                        at, s.name(), id, s.name()));
      }
    }
  }

  /** One step as a line: name, state, duration, metrics, summary. */
  static String describe(StepStatus step) {
    StringBuilder line = new StringBuilder();
    String name = (step.parent() == null ? "" : "  ") + step.name();
    line.append(String.format(Locale.ROOT, "%-20s %-9s", name, step.state()));
    if (step.startedAt() != null && step.endedAt() != null) {
      line.append(
          String.format(
              Locale.ROOT, " %7s", seconds((step.endedAt() - step.startedAt()) * 1_000_000)));
    }
    if (!step.metrics().isEmpty()) {
      line.append("  ")
          .append(
              step.metrics().entrySet().stream()
                  .sorted(Map.Entry.comparingByKey())
                  .map(e -> e.getKey() + "=" + number(e.getValue()))
                  .collect(Collectors.joining(" ")));
    }
    if (step.state() == StepState.RUNNING && step.progress() != null) {
      line.append("  ").append(progress(step.progress()));
    }
    if (step.message() != null && !step.message().isBlank()) {
      line.append("  ").append(step.message());
    }
    return line.toString().stripTrailing();
  }

  /**
   * A training step's progress, e.g. {@code epoch 3/6 loss 0.1234 validation 0.1456 ETA 12s}
   * (attempt shown from the second on).
   */
  static String progress(StepProgress progress) {
    StringBuilder line =
        new StringBuilder(
            String.format(Locale.ROOT, "epoch %d/%d", progress.epoch(), progress.totalEpochs()));
    if (progress.trainLoss() != null) {
      line.append("  loss ").append(number(progress.trainLoss()));
    }
    if (progress.validationLoss() != null) {
      line.append("  validation ").append(number(progress.validationLoss()));
    }
    if (progress.etaMillis() != null && progress.epoch() < progress.totalEpochs()) {
      line.append("  ETA ").append(duration(progress.etaMillis()));
    }
    if (progress.attempt() > 1) {
      line.append("  (attempt ").append(progress.attempt()).append(')');
    }
    return line.toString();
  }

  /** A duration for people: {@code 42s}, {@code 3m 05s}, {@code 1h 02m}. */
  static String duration(long millis) {
    long seconds = Math.round(millis / 1000.0);
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  /** A metric with four significant digits, e.g. {@code 2.137}. */
  static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
  }
}
