package dev.lifecycle.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lifecycle.workflows.StepProgress;
import dev.lifecycle.workflows.StepState;
import dev.lifecycle.workflows.StepStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunWatcherTest {
  private static StepProgress progress(int attempt, int epoch, Long eta) {
    return new StepProgress("train", attempt, epoch, 6, 0.123456, 0.2, 5_000, eta, 0);
  }

  @Test
  void showsEpochLossesAndEtaOfARunningTrainStep() {
    StepStatus running =
        new StepStatus(
            "train",
            "train",
            null,
            StepState.RUNNING,
            1L,
            null,
            Map.of(),
            Map.of(),
            Map.of(),
            null,
            progress(1, 3, 75_000L));
    assertEquals(
        "train                RUNNING    epoch 3/6  loss 0.1235  validation 0.2  ETA 1m 15s",
        RunWatcher.describe(running));
  }

  @Test
  void namesTheAttemptOfARetryAndDropsTheEtaAtTheEnd() {
    assertEquals(
        "epoch 6/6  loss 0.1235  validation 0.2  (attempt 2)",
        RunWatcher.progress(progress(2, 6, 0L)));
    assertEquals(
        "epoch 0/6", RunWatcher.progress(new StepProgress("t", 1, 0, 6, null, null, 0, null, 0)));
  }

  @Test
  void writesDurationsForPeople() {
    assertEquals("42s", RunWatcher.duration(41_600));
    assertEquals("3m 05s", RunWatcher.duration(185_000));
    assertEquals("2h 03m", RunWatcher.duration(7_380_000));
  }
}
