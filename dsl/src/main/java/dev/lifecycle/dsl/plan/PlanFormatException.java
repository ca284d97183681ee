package dev.lifecycle.dsl.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.stream.Collectors;

/** JSON that is not a valid plan or run input; the message names the field, line and column. */
public class PlanFormatException extends RuntimeException {
  public PlanFormatException(String message) {
    super(message);
  }

  public PlanFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A message a person can act on, from Jackson's exception. */
  public static PlanFormatException from(JsonProcessingException e) {
    return from(e, null);
  }

  /**
   * A message a person can act on, from Jackson's exception about {@code json} (null when the text
   * is not at hand). Jackson reports an unknown field of a record at the end of its object (records
   * are built after all their fields are read), so with the text the field's own line is found by
   * scanning it again.
   */
  public static PlanFormatException from(JsonProcessingException e, String json) {
    JsonLocation at = e.getLocation();
    if (json != null && e instanceof UnrecognizedPropertyException u) {
      JsonLocation field = fieldLocation(json, u);
      at = field != null ? field : at;
    }
    String where = location(at);
    if (e instanceof UnrecognizedPropertyException u) {
      return new PlanFormatException(
          "Unknown field '"
              + u.getPropertyName()
              + "' at "
              + path(u)
              + where
              + ". Known fields there: "
              + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()
              + ".",
          e);
    }
    if (e instanceof InvalidTypeIdException t) {
      return new PlanFormatException(
          "Unknown kind '" + t.getTypeId() + "' at " + path(t) + where + ".", e);
    }
    if (e instanceof JsonMappingException m) {
      return new PlanFormatException(
          "Invalid value at " + path(m) + where + ": " + m.getOriginalMessage(), e);
    }
    return new PlanFormatException("Malformed JSON" + where + ": " + e.getOriginalMessage(), e);
  }

  private static String path(JsonMappingException e) {
    if (e.getPath().isEmpty()) {
      return "$";
    }
    return "$"
        + e.getPath().stream()
            .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining());
  }

  private static JsonLocation fieldLocation(String json, JsonMappingException e) {
    StringBuilder pointer = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      pointer
          .append('/')
          .append(
              r.getFieldName() != null
                  ? r.getFieldName().replace("~", "~0").replace("/", "~1")
                  : String.valueOf(r.getIndex()));
    }
    String wanted = pointer.toString();
    try (JsonParser p = new JsonFactory().createParser(json)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME
            && p.getParsingContext().pathAsPointer().toString().equals(wanted)) {
          return p.currentTokenLocation();
        }
      }
      return null;
    } catch (IOException malformedLater) {
      // Malformed after the unknown field: Jackson's own location is the best there is.
      return null;
    }
  }

  private static String location(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
