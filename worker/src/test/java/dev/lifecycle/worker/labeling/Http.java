package dev.lifecycle.worker.labeling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.dsl.plan.PlanJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** A plain HTTP client for the worker's real port, so tests see exactly what a browser sees. */
final class Http {
  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;

  /** A response: status, body bytes, and the body as JSON when it is JSON. */
  record Response(int status, byte[] bytes, HttpResponse<byte[]> raw) {
    JsonNode json() {
      try {
        return PlanJson.lenient().readTree(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("Not JSON: " + new String(bytes), e);
      }
    }

    String error() {
      return json().get("error").asText();
    }

    @Override
    public String toString() {
      return status + " " + new String(bytes);
    }
  }

  Http(int port) {
    this.base = "http://localhost:" + port;
  }

  Response get(String path, String token) {
    return send(request(path, token).GET().build());
  }

  Response post(String path, String token, Object body) {
    String json;
    try {
      json = body == null ? "" : PlanJson.lenient().writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Response postRaw(String path, String token, String body) {
    return send(
        request(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  static Map<String, Object> answer(String value) {
    return Map.of("answer", value);
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private Response send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
