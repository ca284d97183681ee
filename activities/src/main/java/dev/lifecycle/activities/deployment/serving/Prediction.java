package dev.lifecycle.activities.deployment.serving;

import java.util.List;
import java.util.Map;

/**
 * An endpoint's answer to one request: {@code {"predictions": [...], "modelVersion": 3,
 * "requestId": "..."}}. Regression predictions are numbers; classification predictions are class
 * labels, with {@code probabilities} per instance.
 *
 * @param predictions one per instance, in request order
 * @param probabilities classification: the class probabilities per instance; else null
 * @param modelName the registry name of the model that answered
 * @param modelVersion its version
 * @param requestId the id to post ground truth against
 */
public record Prediction(
    List<Object> predictions,
    List<Map<String, Double>> probabilities,
    String modelName,
    int modelVersion,
    String requestId) {}
