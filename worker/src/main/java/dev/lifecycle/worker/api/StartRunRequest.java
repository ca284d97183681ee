package dev.lifecycle.worker.api;

import java.util.Map;

/**
 * The body of {@code POST /api/runs}: {@code {"pipeline": "abalone", "parameters":
 * {"rmseThreshold": 2.2}}}.
 *
 * @param pipeline a registered pipeline's name
 * @param parameters values to set; the rest keep their defaults
 * @param workflowId the run's workflow id; default {@code <pipeline>-<utc time>-<random>}
 */
public record StartRunRequest(String pipeline, Map<String, Object> parameters, String workflowId) {}
