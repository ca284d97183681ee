package dev.lifecycle.worker;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;

/**
 * The running worker application: the Micronaut context (Temporal workers start with it) and its
 * HTTP server. Started by {@code lifecycle worker} and {@code lifecycle dev}; closing it stops the
 * HTTP server, then the workers, then the Temporal connection.
 */
public final class WorkerApplication implements AutoCloseable {
  private final ApplicationContext context;
  private final EmbeddedServer server;

  private WorkerApplication(ApplicationContext context, EmbeddedServer server) {
    this.context = context;
    this.server = server;
  }

  /**
   * Starts the application; {@code properties} override {@code application.yml} and the
   * environment, e.g. {@code lifecycle.temporal.address}.
   */
  public static WorkerApplication start(Map<String, Object> properties) {
    ApplicationContext context =
        ApplicationContext.builder().deduceEnvironment(false).properties(properties).start();
    try {
      EmbeddedServer server = context.getBean(EmbeddedServer.class);
      server.start();
      return new WorkerApplication(context, server);
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  /** The context, for its beans. */
  public ApplicationContext context() {
    return context;
  }

  /** The HTTP port the REST API listens on. */
  public int httpPort() {
    return server.getPort();
  }

  @Override
  public synchronized void close() {
    if (server.isRunning()) {
      server.stop();
    }
    if (context.isRunning()) {
      context.close();
    }
  }
}
