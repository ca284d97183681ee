package dev.lifecycle.dsl.plan;

import java.time.Duration;

/**
 * Execution options of one step. Every field may be {@code null}, meaning the default.
 *
 * @param retry retry policy; default {@link RetrySpec#DEFAULT}
 * @param timeout longest time one attempt may run (start-to-close); default 1 hour
 * @param heartbeatTimeout longest silence of a running attempt before it is retried elsewhere;
 *     default none, except for training (2 minutes)
 * @param taskQueue the task queue whose workers run the step; default the run's own queue
 */
public record StepOptions(
    RetrySpec retry, Duration timeout, Duration heartbeatTimeout, String taskQueue) {

  /** All defaults. */
  public static final StepOptions DEFAULT = new StepOptions(null, null, null, null);

  /** Default start-to-close timeout of one attempt. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

  /** The retry policy in force. */
  public RetrySpec retryOrDefault() {
    return retry == null ? RetrySpec.DEFAULT : retry;
  }

  /** The timeout in force. */
  public Duration timeoutOrDefault() {
    return timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  public StepOptions withRetry(RetrySpec value) {
    return new StepOptions(value, timeout, heartbeatTimeout, taskQueue);
  }

  public StepOptions withTimeout(Duration value) {
    return new StepOptions(retry, value, heartbeatTimeout, taskQueue);
  }

  public StepOptions withHeartbeatTimeout(Duration value) {
    return new StepOptions(retry, timeout, value, taskQueue);
  }

  public StepOptions withTaskQueue(String value) {
    return new StepOptions(retry, timeout, heartbeatTimeout, value);
  }
}
