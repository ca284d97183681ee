package dev.lifecycle.activities.deployment.serving;

import java.util.Arrays;

/**
 * Counts of one model version's requests and failures, and the latencies of its most recent
 * requests (a ring of {@value #WINDOW}) for the percentiles the status and the alarms show.
 * Thread-safe.
 */
final class RequestStats {
  static final int WINDOW = 4096;

  private final long[] latencies = new long[WINDOW];
  private long requests;
  private long errors;
  private long recorded;

  synchronized void record(long nanos, boolean failed) {
    requests++;
    if (failed) {
      errors++;
    }
    latencies[(int) (recorded++ % WINDOW)] = nanos;
  }

  synchronized long requests() {
    return requests;
  }

  synchronized long errors() {
    return errors;
  }

  synchronized double errorRate() {
    return requests == 0 ? 0 : (double) errors / requests;
  }

  /** The {@code q}-quantile (0..1) of the recent latencies in milliseconds; NaN when none. */
  synchronized double percentileMillis(double q) {
    int n = (int) Math.min(recorded, WINDOW);
    if (n == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    // Nearest rank: the smallest value with at least q of the samples at or below it.
    int rank = (int) Math.ceil(q * n);
    return sorted[Math.max(0, Math.min(n - 1, rank - 1))] / 1e6;
  }
}
