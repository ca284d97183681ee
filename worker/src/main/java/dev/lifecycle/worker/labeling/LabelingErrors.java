package dev.lifecycle.worker.labeling;

import dev.lifecycle.activities.labeling.LabelingException;
import io.micronaut.http.HttpStatus;
import java.util.function.Supplier;

/** Maps the labeling store's refusals to HTTP statuses and error bodies naming the field. */
final class LabelingErrors {
  private LabelingErrors() {}

  /** Runs {@code action}, turning a {@link LabelingException} into its API error. */
  static <T> T call(Long item, Supplier<T> action) {
    try {
      return action.get();
    } catch (LabelingException e) {
      throw of(e, item);
    }
  }

  static LabelingApiException of(LabelingException e, Long item) {
    return switch (e.reason()) {
      case UNKNOWN_JOB -> new LabelingApiException(HttpStatus.NOT_FOUND, e.getMessage(), "job");
      case UNKNOWN_ITEM ->
          new LabelingApiException(HttpStatus.NOT_FOUND, e.getMessage(), "item", item, null);
      case UNKNOWN_ANNOTATOR ->
          new LabelingApiException(HttpStatus.NOT_FOUND, e.getMessage(), "annotators");
      case NOT_ASSIGNED -> new LabelingApiException(HttpStatus.FORBIDDEN, e.getMessage(), "job");
      case INVALID_ANSWER ->
          new LabelingApiException(
              HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage(), "answer", item, null);
      case CONFLICTING_ANSWER ->
          new LabelingApiException(HttpStatus.CONFLICT, e.getMessage(), "item", item, null);
      case JOB_CLOSED -> new LabelingApiException(HttpStatus.CONFLICT, e.getMessage(), "job");
      case DUPLICATE_ANNOTATOR ->
          new LabelingApiException(HttpStatus.CONFLICT, e.getMessage(), "name");
    };
  }

  /** Parses a path id; 400 naming {@code field} when it is not a non-negative number. */
  static long id(String value, String field) {
    try {
      long id = Long.parseLong(value.strip());
      if (id >= 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new LabelingApiException(
        HttpStatus.BAD_REQUEST,
        "Bad " + field + " '" + value + "': " + field + " ids are whole numbers",
        field);
  }
}
