package dev.lifecycle.activities.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.workflows.activities.MonitoringActivities.Alert;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {
  static final Alert ALERT =
      new Alert(
          "abalone-prod",
          "monitor/abalone",
          1_000,
          2_000,
          "violations",
          2,
          List.of("Length"),
          List.of("Feature 'Length' drifted by psi: PSI 1.2"),
          "file:///reports/r.json");

  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private volatile int answer = 204;

  @BeforeEach
  void startReceiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
          exchange.sendResponseHeaders(answer, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopReceiver() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void postsTheAlertAsJson() throws Exception {
    assertEquals(204, new WebhookNotifier().post(url(), ALERT));
    assertEquals(1, bodies.size());
    assertEquals("application/json", contentTypes.get(0));
    JsonNode body = PlanJson.lenient().readTree(bodies.get(0));
    assertEquals("abalone-prod", body.get("deployment").asText());
    assertEquals(1_000, body.get("windowStartMillis").asLong());
    assertEquals(2_000, body.get("windowEndMillis").asLong());
    assertEquals("violations", body.get("status").asText());
    assertEquals(2, body.get("violations").asInt());
    assertEquals("Length", body.get("driftedFeatures").get(0).asText());
    assertTrue(body.get("messages").get(0).asText().contains("PSI 1.2"));
  }

  @Test
  void anUnreachableReceiverFailsRetryablyAndQuickly() throws Exception {
    String url = "http://127.0.0.1:" + closedPort() + "/hook";
    long started = System.nanoTime();
    ApplicationFailure e =
        assertThrows(
            ApplicationFailure.class,
            () -> new WebhookNotifier(Duration.ofSeconds(2)).post(url, ALERT));
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
    assertEquals(WebhookNotifier.WEBHOOK_FAILED, e.getType());
    assertFalse(e.isNonRetryable());
    assertTrue(e.getOriginalMessage().contains(url), e.getOriginalMessage());
  }

  @Test
  void aServerErrorIsRetryableAndARejectionIsNot() {
    answer = 503;
    ApplicationFailure unavailable =
        assertThrows(ApplicationFailure.class, () -> new WebhookNotifier().post(url(), ALERT));
    assertFalse(unavailable.isNonRetryable());
    assertTrue(unavailable.getOriginalMessage().contains("503"));
    answer = 404;
    ApplicationFailure notFound =
        assertThrows(ApplicationFailure.class, () -> new WebhookNotifier().post(url(), ALERT));
    assertTrue(notFound.isNonRetryable());
    assertTrue(notFound.getOriginalMessage().contains("404"));
  }

  @Test
  void rejectsAUrlThatIsNotHttp() {
    ApplicationFailure e =
        assertThrows(
            ApplicationFailure.class, () -> new WebhookNotifier().post("ftp://host/x", ALERT));
    assertTrue(e.isNonRetryable());
    assertTrue(e.getOriginalMessage().contains("ftp://host/x"));
  }
}
