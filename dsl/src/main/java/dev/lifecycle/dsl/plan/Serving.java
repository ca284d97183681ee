package dev.lifecycle.dsl.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Deploy} step serves its model. Every field may be {@code null} in JSON, meaning the
 * default; the compiler checks the ranges and names the step.
 *
 * @param mode real-time endpoint, asynchronous (queued, answered by id) or serverless (loads on the
 *     first request, unloads after {@code idle})
 * @param maxBatchSize dynamic batching: the most requests answered by one model call; 1 turns
 *     batching off (default 1)
 * @param maxBatchDelay how long the first request of a batch waits for others (default 5 ms)
 * @param rollout how traffic moves from the serving version to the new one (default all at once)
 * @param canaryPercent share of requests the new version gets while it bakes (CANARY only, 1-99)
 * @param bake how long the new version is watched by the alarms before it takes all traffic
 *     (BLUE_GREEN and CANARY; default 5 minutes)
 * @param maxErrorRate alarm: the share of failed requests on the new version that rolls it back
 *     (default 0.05)
 * @param maxP99Latency alarm: the 99th-percentile latency on the new version that rolls it back;
 *     {@code null} means no latency alarm
 * @param idle serverless: the idle time after which the model is unloaded (default 10 minutes)
 * @param captureFraction the share of requests and responses written to the capture store for
 *     monitoring, 0 to 1 (default 0)
 */
public record Serving(
    Mode mode,
    Integer maxBatchSize,
    Duration maxBatchDelay,
    Rollout rollout,
    Integer canaryPercent,
    Duration bake,
    Double maxErrorRate,
    Duration maxP99Latency,
    Duration idle,
    Double captureFraction) {

  /** A real-time endpoint, no batching, all traffic at once, no capture. */
  public static final Serving DEFAULT =
      new Serving(Mode.REALTIME, null, null, null, null, null, null, null, null, null);

  public Serving {
    mode = Objects.requireNonNullElse(mode, Mode.REALTIME);
  }

  /** The batch size in force. */
  public int maxBatchSizeOrDefault() {
    return maxBatchSize == null ? 1 : maxBatchSize;
  }

  /** The batch delay in force. */
  public Duration maxBatchDelayOrDefault() {
    return maxBatchDelay == null ? Duration.ofMillis(5) : maxBatchDelay;
  }

  /** The rollout in force. */
  public Rollout rolloutOrDefault() {
    return rollout == null ? Rollout.ALL_AT_ONCE : rollout;
  }

  /** The bake time in force. */
  public Duration bakeOrDefault() {
    return bake == null ? Duration.ofMinutes(5) : bake;
  }

  /** The error-rate alarm in force. */
  public double maxErrorRateOrDefault() {
    return maxErrorRate == null ? 0.05 : maxErrorRate;
  }

  /** The serverless idle time in force. */
  public Duration idleOrDefault() {
    return idle == null ? Duration.ofMinutes(10) : idle;
  }

  /** The capture share in force. */
  public double captureFractionOrDefault() {
    return captureFraction == null ? 0.0 : captureFraction;
  }

  /** How requests reach the model. */
  public enum Mode {
    /** {@code POST /endpoints/{name}/invocations}, answered in the response. */
    REALTIME,
    /** Requests queued durably and answered later by id. */
    ASYNC,
    /** Real-time, but the model loads on first use and unloads when idle. */
    SERVERLESS
  }

  /** How a new version takes over from the one serving. */
  public enum Rollout {
    /** The new version takes all traffic as soon as it is loaded (hot swap, no failed request). */
    ALL_AT_ONCE,
    /** The new version is loaded beside the old, takes all traffic, and the old stays warm. */
    BLUE_GREEN,
    /** The new version takes {@code canaryPercent} of traffic for {@code bake}, then all. */
    CANARY
  }
}
