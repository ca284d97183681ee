package dev.lifecycle.worker.labeling;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Renders a {@link LabelingApiException} as its status and {@link LabelingError} body. */
@Produces
@Singleton
@Requires(classes = {LabelingApiException.class, ExceptionHandler.class})
public class LabelingApiExceptionHandler
    implements ExceptionHandler<LabelingApiException, HttpResponse<LabelingError>> {

  @Override
  public HttpResponse<LabelingError> handle(HttpRequest request, LabelingApiException e) {
    MutableHttpResponse<LabelingError> response = HttpResponse.status(e.status()).body(e.body());
    if (e.status() == HttpStatus.UNAUTHORIZED) {
      response.header("WWW-Authenticate", "Bearer realm=\"lifecycle-labeling\"");
    }
    return response;
  }
}
