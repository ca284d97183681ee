package dev.lifecycle.worker.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;

/**
 * Renders every JSON error (ours, thrown as {@code HttpStatusException}, and the framework's: bad
 * JSON, unknown route, wrong method) as an {@link ApiError}, so clients parse one shape.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class ApiErrorBodyProvider implements JsonErrorResponseBodyProvider<ApiError> {

  @Override
  public ApiError body(ErrorContext context, HttpResponse<?> response) {
    if (context.hasErrors()) {
      return new ApiError(
          context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; ")));
    }
    return new ApiError(response.reason());
  }
}
