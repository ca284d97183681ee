package dev.lifecycle.dsl.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads and writes plans as JSON. The strict mapper rejects unknown fields (a plan with a typo must
 * not run); the lenient one is for payloads between workflow and activities, so that a newer
 * worker's extra fields do not wedge an older one.
 */
public final class PlanJson {
  private static final ObjectMapper STRICT = configure(true);
  private static final ObjectMapper LENIENT = configure(false);

  private PlanJson() {}

  /** A new mapper with the plan's settings; {@code strict} rejects unknown fields. */
  public static ObjectMapper newMapper(boolean strict) {
    return configure(strict);
  }

  private static ObjectMapper configure(boolean strict) {
    return JsonMapper.builder()
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, strict)
        .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, strict)
        .configure(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS, false)
        .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
        .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
        .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, false)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .build();
  }

  /** The strict mapper (unknown fields are errors). */
  public static ObjectMapper strict() {
    return STRICT;
  }

  /** The lenient mapper (unknown fields are ignored). */
  public static ObjectMapper lenient() {
    return LENIENT;
  }

  /** The plan as pretty-printed JSON, stable for golden files. */
  public static String write(PipelinePlan plan) {
    try {
      return STRICT.writerWithDefaultPrettyPrinter().writeValueAsString(plan) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write plan '" + plan.name() + "' as JSON", e);
    }
  }

  /**
   * Reads a plan strictly.
   *
   * @throws PlanFormatException naming the line, column and field of what is wrong
   */
  public static PipelinePlan read(String json) {
    try {
      PipelinePlan plan = STRICT.readValue(json, PipelinePlan.class);
      if (plan.schemaVersion() != PipelinePlan.SCHEMA_VERSION) {
        throw new PlanFormatException(
            "Plan '"
                + plan.name()
                + "' has schemaVersion "
                + plan.schemaVersion()
                + " but this Lifecycle reads version "
                + PipelinePlan.SCHEMA_VERSION
                + ". Recompile the pipeline with this version of the DSL.");
      }
      return plan;
    } catch (JsonProcessingException e) {
      throw PlanFormatException.from(e, json);
    }
  }

  /** The sha256 of the plan's compact JSON: the same plan always has the same hash. */
  public static String hash(PipelinePlan plan) {
    try {
      byte[] bytes = STRICT.writeValueAsString(plan).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash plan '" + plan.name() + "'", e);
    }
  }
}
