package dev.lifecycle.worker;

import dev.lifecycle.worker.temporal.EmbeddedTemporal;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Points a {@code @MicronautTest} application at a Temporal test server of its own (a free local
 * port) and a temporary {@code LIFECYCLE_HOME}, and stops the application before the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EmbeddedTemporalTestSupport implements TestPropertyProvider {
  protected final EmbeddedTemporal temporal = EmbeddedTemporal.start(EmbeddedTemporal.freePort());
  protected final Path home = tempHome();

  @Inject protected ApplicationContext context;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "lifecycle.temporal.address", temporal.address(),
        "lifecycle.home", home.toString(),
        "micronaut.server.port", "-1");
  }

  @AfterAll
  void stopApplicationThenTemporal() {
    if (context != null && context.isRunning()) {
      context.close();
    }
    temporal.close();
  }

  private static Path tempHome() {
    try {
      return Files.createTempDirectory("lifecycle-test-home");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
