package dev.lifecycle.worker.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepProgress;
import dev.lifecycle.workflows.StepState;
import dev.lifecycle.workflows.StepStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunPageTest {
  private static RunStatus running(StepProgress progress) {
    StepStatus train =
        new StepStatus(
            "train",
            "train",
            null,
            StepState.RUNNING,
            1_000L,
            null,
            Map.of(),
            Map.of(),
            Map.of(),
            null,
            progress);
    return new RunStatus(
        "fashion<finetune>",
        "h",
        RunState.RUNNING,
        null,
        Map.of("epochs", 6),
        List.of(train),
        1_000L,
        null);
  }

  @Test
  void aRunningTrainingShowsEpochLossEtaAndKeepsRefreshing() {
    StepProgress progress = new StepProgress("train", 2, 3, 6, 0.51234, 0.6, 30_000, 90_000L, 0);
    String page =
        RunPage.render(new RunPage.Data("run-1", running(progress), Map.of(), Map.of(), 61_000));
    assertTrue(page.contains("data-state=\"RUNNING\""), page);
    assertTrue(page.contains("data-live=\"/runs/run-1/live\""), page);
    assertTrue(page.contains("setTimeout(refresh, 2000)"), "the refresh script is in the page");
    assertTrue(
        page.contains(
            "epoch 3/6 · loss 0.5123 · validation loss 0.6 · ETA 1m 30s · trained 30s · attempt 2"),
        page);
    assertTrue(page.contains("width:50.0%"), page);
    // Running for a minute of the page's clock.
    assertTrue(page.contains("<td>1m 00s</td>"), page);
    // Names are escaped.
    assertTrue(page.contains("fashion&lt;finetune&gt;"), page);
    assertFalse(page.contains("fashion<finetune>"), page);
  }
}
