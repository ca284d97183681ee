package dev.lifecycle.dsl.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
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
    String where = location(e.getLocation());
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

  private static String location(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
