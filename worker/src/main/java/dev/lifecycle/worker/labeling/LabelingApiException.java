package dev.lifecycle.worker.labeling;

import io.micronaut.http.HttpStatus;

/** A refused labeling API request: its status and the {@link LabelingError} body. */
public final class LabelingApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient HttpStatus status;
  private final transient LabelingError body;

  LabelingApiException(HttpStatus status, String message, String field, Long item, String stored) {
    super(message);
    this.status = status;
    this.body = new LabelingError(message, field, item, stored);
  }

  LabelingApiException(HttpStatus status, String message, String field) {
    this(status, message, field, null, null);
  }

  /** The response status. */
  public HttpStatus status() {
    return status;
  }

  /** The response body. */
  public LabelingError body() {
    return body;
  }
}
