package dev.lifecycle.activities.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.MonitoringActivities.Alert;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * Posts alerts as JSON to webhooks, one attempt per call: retrying with backoff is the calling
 * activity's retry policy's job, so that a dead receiver costs the monitor a bounded number of
 * attempts and never a blocked thread.
 *
 * <p>Failures are {@code ApplicationFailure}s of type {@value #WEBHOOK_FAILED}: retryable when the
 * receiver is unreachable, times out, or answers 408, 429 or 5xx; non-retryable for any other
 * non-2xx answer, which retrying would not change.
 */
public final class WebhookNotifier {
  /** Failure type of an alert a webhook did not accept. */
  public static final String WEBHOOK_FAILED = FailureTypes.WEBHOOK_FAILED;

  /** Default time allowed for connecting, and again for the answer. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = PlanJson.lenient();

  private final HttpClient client;
  private final Duration timeout;

  /** A notifier with {@link #DEFAULT_TIMEOUT}. */
  public WebhookNotifier() {
    this(DEFAULT_TIMEOUT);
  }

  /** A notifier that gives up on a connection or an answer after {@code timeout}. */
  public WebhookNotifier(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** The JSON body posted for {@code alert}. */
  public static String body(Alert alert) {
    try {
      return JSON.writeValueAsString(alert);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the alert as JSON", e);
    }
  }

  /**
   * POSTs {@code alert} to {@code url} once.
   *
   * @return the receiver's HTTP status (2xx)
   * @throws ApplicationFailure as described in the class comment
   */
  public int post(String url, Alert alert) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Webhook URL '" + url + "' is not a valid URI: " + e.getMessage(),
          FailureTypes.INVALID_INPUT);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Webhook URL '" + url + "' is not an http(s) URL", FailureTypes.INVALID_INPUT);
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "Lifecycle-Monitor")
            .POST(HttpRequest.BodyPublishers.ofString(body(alert)))
            .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "Webhook " + url + " is unreachable: " + e, WEBHOOK_FAILED, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(
          "Interrupted while posting to webhook " + url, WEBHOOK_FAILED);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return status;
    }
    String message =
        "Webhook " + url + " answered HTTP " + status + ": " + abbreviate(response.body());
    if (status == 408 || status == 429 || status >= 500) {
      throw ApplicationFailure.newFailure(message, WEBHOOK_FAILED);
    }
    throw ApplicationFailure.newNonRetryableFailure(message, WEBHOOK_FAILED);
  }

  private static String abbreviate(String body) {
    String text = body == null ? "" : body.strip();
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
