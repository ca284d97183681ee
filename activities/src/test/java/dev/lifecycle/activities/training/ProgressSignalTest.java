package dev.lifecycle.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressSignalTest {
  private static final long SECOND = 1_000_000_000L;

  /** The epochs reported when epoch {@code e} (0 = the start) ends at {@code seconds[e]}. */
  private static List<Integer> reported(Duration interval, int epochs, double... seconds) {
    ProgressSignal signal = new ProgressSignal(null, "train", 0, epochs, interval);
    List<Integer> sent = new ArrayList<>();
    for (int epoch = 0; epoch < seconds.length; epoch++) {
      if (signal.due(epoch, (long) (seconds[epoch] * SECOND))) {
        sent.add(epoch);
      }
    }
    return sent;
  }

  @Test
  void reportsTheStartTheLastEpochAndAtMostOncePerInterval() {
    // Epochs of 4 s against a 10 s interval: the start, then every third epoch, and the last.
    assertEquals(
        List.of(0, 3, 6, 7), reported(Duration.ofSeconds(10), 7, 0, 4, 8, 12, 16, 20, 24, 28));
  }

  @Test
  void reportsEveryEpochWhenEpochsAreLongerThanTheInterval() {
    assertEquals(List.of(0, 1, 2, 3), reported(Duration.ofSeconds(30), 3, 0, 40, 80, 120));
  }

  @Test
  void aTinyTrainingSendsTwoReports() {
    assertEquals(List.of(0, 5), reported(Duration.ofSeconds(30), 5, 0, .1, .2, .3, .4, .5));
  }
}
