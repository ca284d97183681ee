package dev.lifecycle.activities.deployment.serving;

import java.util.List;
import java.util.Map;

/**
 * What {@code GET /endpoints/{name}} shows.
 *
 * @param name the endpoint
 * @param modelName the registry name of the model served
 * @param version the version taking the bulk of traffic
 * @param mode {@code REALTIME}, {@code ASYNC} or {@code SERVERLESS}
 * @param rollout {@code NONE}, or {@code CANARY}/{@code BLUE_GREEN} while a version bakes
 * @param candidateVersion the version being rolled out, or null
 * @param trafficPercent the share of requests per version, e.g. {@code {"3": 90, "4": 10}}
 * @param versions statistics per version currently loaded
 * @param features the field names an instance of a request carries, in order: the raw columns when
 *     the model is packaged with a feature transform, else the model's features
 * @param inputs those fields with their types (and known categories)
 * @param transformsRaw whether a fitted feature transform turns raw inputs into the model's
 *     features
 * @param maxBatchSize the batch size in force (1: no batching)
 * @param captureFraction the share of requests captured
 * @param captureDropped captured rows of this endpoint this worker dropped since it started: the
 *     capture queue was full, or the database refused a batch
 * @param loaded serverless: whether the model is in memory (always true otherwise)
 * @param coldStarts serverless: loads so far
 * @param lastColdStartMillis serverless: how long the last load took; null before the first
 * @param rollbacks the last rollbacks on this endpoint (by any worker, kept across restarts),
 *     newest last
 */
public record EndpointStatus(
    String name,
    String modelName,
    int version,
    String mode,
    String rollout,
    Integer candidateVersion,
    Map<String, Integer> trafficPercent,
    List<VersionStats> versions,
    List<String> features,
    List<InputSchema.Field> inputs,
    boolean transformsRaw,
    int maxBatchSize,
    double captureFraction,
    long captureDropped,
    boolean loaded,
    int coldStarts,
    Long lastColdStartMillis,
    List<RollbackEvent> rollbacks) {

  /**
   * Counters and latency percentiles (over the most recent requests) of one version.
   *
   * @param p50Millis median latency in milliseconds, null before any request
   * @param p99Millis 99th-percentile latency in milliseconds, null before any request
   */
  public record VersionStats(
      int version, long requests, long errors, Double p50Millis, Double p99Millis) {}
}
