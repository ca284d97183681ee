package dev.lifecycle.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanFormatException;
import dev.lifecycle.dsl.plan.PlanJson;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's input as people type it, checked field by field: a registered pipeline's name or a whole
 * plan, and parameter values. Pure and deterministic, so the workflow parses it in its own code.
 *
 * @param pipeline the registered pipeline to compile, or null when {@code plan} is given
 * @param plan the plan to run, or null when {@code pipeline} is given
 * @param parameters the run's parameter values (strings, numbers, booleans), in input order
 */
record RunInput(String pipeline, PipelinePlan plan, Map<String, Object> parameters) {

  /** The fields of the wrapper form {@code {"pipeline"|"plan": ..., "parameters": {...}}}. */
  static final Set<String> FIELDS = Set.of("pipeline", "plan", "parameters");

  private static final String EXAMPLE =
      "{\"pipeline\": \"abalone\", \"parameters\": {\"rmseThreshold\": 2.5}}";

  /**
   * Reads {@code input}.
   *
   * @throws ApplicationFailure non-retryable, of type {@link FailureTypes#INVALID_INPUT}, {@link
   *     FailureTypes#INVALID_PLAN} or {@link FailureTypes#INVALID_PARAMETER}, naming what is wrong
   */
  static RunInput parse(JsonNode input) {
    if (input == null || input.isNull() || input.isMissingNode()) {
      throw invalidInput("The run has no input. Start it with e.g. " + EXAMPLE + ".");
    }
    if (!input.isObject()) {
      throw invalidInput(
          "The run's input must be a JSON object such as "
              + EXAMPLE
              + ", not "
              + kind(input)
              + ".");
    }
    if (input.has("schemaVersion") || input.has("steps")) {
      return new RunInput(null, plan(input, "$"), Map.of());
    }
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> names = input.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw invalidInput(
          "Unknown field"
              + (unknown.size() == 1 ? " '" + unknown.get(0) + "'" : "s " + quoted(unknown))
              + " in the run's input. Known fields: [parameters, pipeline, plan], e.g. "
              + EXAMPLE
              + ", or a whole plan (with schemaVersion and steps).");
    }
    JsonNode pipeline = input.get("pipeline");
    JsonNode plan = input.get("plan");
    boolean hasPipeline = pipeline != null && !pipeline.isNull();
    boolean hasPlan = plan != null && !plan.isNull();
    if (hasPipeline && hasPlan) {
      throw invalidInput(
          "The run's input sets both 'pipeline' and 'plan': give one, the name of a registered"
              + " pipeline or a whole plan.");
    }
    if (!hasPipeline && !hasPlan) {
      throw invalidInput(
          "The run's input names no pipeline: set 'pipeline' (e.g. "
              + EXAMPLE
              + ") or 'plan' (a whole plan).");
    }
    Map<String, Object> parameters = parameters(input.get("parameters"));
    if (hasPipeline) {
      if (!pipeline.isTextual() || pipeline.asText().isBlank()) {
        throw invalidInput(
            "Field 'pipeline' must be the name of a registered pipeline (a string), not "
                + kind(pipeline)
                + ".");
      }
      return new RunInput(pipeline.asText(), null, parameters);
    }
    if (!plan.isObject()) {
      throw invalidInput(
          "Field 'plan' must be a whole plan (a JSON object), not " + kind(plan) + ".");
    }
    return new RunInput(null, plan(plan, "$.plan"), parameters);
  }

  private static PipelinePlan plan(JsonNode node, String where) {
    PipelinePlan plan;
    try {
      plan = PlanJson.strict().treeToValue(node, PipelinePlan.class);
    } catch (JsonProcessingException e) {
      throw invalidPlan(at(PlanFormatException.from(e).getMessage(), where));
    } catch (IllegalArgumentException e) {
      throw invalidPlan(
          at("Invalid plan at $: " + (e.getMessage() == null ? e : e.getMessage()), where));
    }
    if (plan.schemaVersion() != PipelinePlan.SCHEMA_VERSION) {
      throw invalidPlan(
          "Plan '"
              + plan.name()
              + "' has schemaVersion "
              + plan.schemaVersion()
              + " but this Lifecycle reads version "
              + PipelinePlan.SCHEMA_VERSION
              + ". Recompile the pipeline with this version of the DSL.");
    }
    return plan;
  }

  /** Paths in Jackson's messages start at the plan; the plan may sit under {@code $.plan}. */
  private static String at(String message, String where) {
    return where.equals("$") ? message : message.replace(" at $", " at " + where);
  }

  private static Map<String, Object> parameters(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw invalidInput(
          "Field 'parameters' must be an object of parameter values, e.g. {\"rmseThreshold\":"
              + " 2.5}, not "
              + kind(node)
              + ".");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      values.put(field.getKey(), scalar(field.getKey(), field.getValue()));
    }
    return Collections.unmodifiableMap(values);
  }

  private static Object scalar(String name, JsonNode value) {
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isIntegralNumber()) {
      if (value.canConvertToInt()) {
        return value.intValue();
      }
      if (value.canConvertToLong()) {
        return value.longValue();
      }
      throw invalidParameter(
          "Parameter '" + name + "' is " + value.asText() + ", too large for an integer.");
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    throw invalidParameter(
        "Parameter '"
            + name
            + "' must be a string, a number or a boolean, not "
            + kind(value)
            + ".");
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String quoted(List<String> names) {
    return names.stream().map(n -> "'" + n + "'").toList().toString();
  }

  private static ApplicationFailure invalidInput(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_INPUT);
  }

  private static ApplicationFailure invalidPlan(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_PLAN);
  }

  private static ApplicationFailure invalidParameter(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_PARAMETER);
  }
}
