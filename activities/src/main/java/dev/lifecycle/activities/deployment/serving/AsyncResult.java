package dev.lifecycle.activities.deployment.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An asynchronous request as its caller polls it.
 *
 * @param id the id {@code POST .../async-invocations} returned
 * @param endpoint the endpoint
 * @param status {@code PENDING}, {@code RUNNING}, {@code DONE} or {@code FAILED}
 * @param result when done, the {@link Prediction} as JSON; else null
 * @param error when failed, why; else null
 * @param modelVersion the version that answered, or null
 */
public record AsyncResult(
    String id,
    String endpoint,
    String status,
    JsonNode result,
    String error,
    Integer modelVersion,
    Instant createdAt,
    Instant completedAt) {}
