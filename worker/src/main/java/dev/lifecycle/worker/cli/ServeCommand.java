package dev.lifecycle.worker.cli;

import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.worker.WorkerApplication;
import dev.lifecycle.worker.temporal.EmbeddedTemporal;
import dev.lifecycle.worker.temporal.TemporalSettings;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code lifecycle worker} (join a cluster) and {@code lifecycle dev} (bring an in-memory one): the
 * worker application, running until the process is stopped.
 */
public final class ServeCommand implements Command {
  private final boolean dev;

  private ServeCommand(boolean dev) {
    this.dev = dev;
  }

  /** {@code lifecycle dev}. */
  public static ServeCommand dev() {
    return new ServeCommand(true);
  }

  /** {@code lifecycle worker}. */
  public static ServeCommand worker() {
    return new ServeCommand(false);
  }

  @Override
  public String name() {
    return dev ? "dev" : "worker";
  }

  @Override
  public String summary() {
    return dev
        ? "Run everything in one process: Temporal test server on :7233, worker, REST API on :8080"
        : "Join a Temporal cluster: serve the task queue(s) and the REST API";
  }

  @Override
  public String help() {
    String environment =
        """
        Environment:
          LIFECYCLE_HOME            artifacts and the H2 metadata database (default ~/.lifecycle)
          LIFECYCLE_JDBC_URL        another metadata database, e.g. jdbc:postgresql://db/lifecycle
          LIFECYCLE_JDBC_USER, LIFECYCLE_JDBC_PASSWORD
          LIFECYCLE_TASK_QUEUE      the task queue (default lifecycle)
          LIFECYCLE_EXTRA_TASK_QUEUES  more queues this worker serves, comma separated
          MICRONAUT_SERVER_PORT     the REST API's port (default 8080; -1 picks a free one)
        """;
    if (dev) {
      return """
          Usage: lifecycle dev [--port P] [--temporal-port T]

          Starts the Temporal Java test server on localhost:7233 (in memory, real time), registers
          the search attributes LifecyclePipeline and LifecycleState, and runs the worker and the
          REST API on :8080 against it. The Temporal CLI connects as to 'temporal server
          start-dev'. Runs until Ctrl-C; runs live in memory and end with the process.

            --port P            the REST API's port (default MICRONAUT_SERVER_PORT or 8080)
            --temporal-port T   the Temporal frontend's port (default 7233)

          """
          + environment;
    }
    return """
        Usage: lifecycle worker [--port P]

        Connects to the Temporal cluster at TEMPORAL_ADDRESS and serves the task queue(s) and the
        REST API until stopped. Start as many as you like. On start it registers the search
        attributes LifecyclePipeline and LifecycleState (Keyword) when they are missing; when the
        cluster refuses, register them once with
          temporal operator search-attribute create --name LifecyclePipeline --type Keyword
          temporal operator search-attribute create --name LifecycleState --type Keyword

          --port P   the REST API's port (default MICRONAUT_SERVER_PORT or 8080)

          TEMPORAL_ADDRESS          the frontend (default localhost:7233)
          TEMPORAL_NAMESPACE        (default default)
        """
        + environment;
  }

  @Override
  public Set<String> options() {
    return dev ? Set.of("--port", "--temporal-port") : Set.of("--port");
  }

  @Override
  public int run(Args args, Console console) throws InterruptedException {
    args.noPositionals();
    TemporalSettings temporal = TemporalSettings.fromEnvironment(console.env());
    Map<String, Object> properties = new HashMap<>();
    args.value("--port").ifPresent(p -> properties.put("micronaut.server.port", port(p)));
    EmbeddedTemporal server = null;
    if (dev) {
      int temporalPort = args.value("--temporal-port").map(ServeCommand::port).orElse(7233);
      server = EmbeddedTemporal.start(temporalPort);
      temporal = temporal.withAddress(server.address());
      properties.put("lifecycle.temporal.address", server.address());
    }
    WorkerApplication app;
    try {
      app = WorkerApplication.start(properties);
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    EmbeddedTemporal toClose = server;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // The workers must stop before the server they poll, or they log errors.
                  app.close();
                  if (toClose != null) {
                    toClose.close();
                  }
                  stopped.countDown();
                },
                "lifecycle-shutdown"));
    printBanner(console, temporal, app.httpPort());
    stopped.await();
    return 0;
  }

  private void printBanner(Console console, TemporalSettings temporal, int httpPort) {
    LifecycleSettings settings = LifecycleSettings.fromEnvironment(console.env());
    PrintStream out = console.out();
    String api = "http://localhost:" + httpPort;
    out.println(dev ? "Lifecycle dev mode" : "Lifecycle worker");
    out.printf(
        "  Temporal    %s%s, namespace %s, task queue(s) %s%n",
        temporal.address(),
        dev ? " (Java test server, in memory)" : "",
        temporal.namespace(),
        temporal.taskQueues());
    out.printf("  REST API    %s/api/pipelines%n", api);
    out.printf("  Artifacts   %s%n", settings.artifacts());
    out.printf("  Metadata    %s%n", settings.jdbcUrl());
    String address =
        temporal.address().equals(TemporalSettings.DEFAULT_ADDRESS)
            ? ""
            : " --address " + temporal.address();
    out.println("Try:");
    out.println("  ./lifecycle run abalone" + address);
    out.println("  ./lifecycle plan abalone");
    out.println("  curl -s " + api + "/api/pipelines");
    out.println(
        "  curl -s -X POST "
            + api
            + "/api/runs -H 'Content-Type: application/json' -d '{\"pipeline\":\"abalone\"}'");
    out.println(
        "  temporal workflow start --address "
            + temporal.address()
            + " --task-queue "
            + temporal.taskQueue()
            + " --type PipelineWorkflow --input '{\"pipeline\":\"abalone\"}'");
    out.println(
        "  temporal workflow query --address "
            + temporal.address()
            + " --workflow-id <id> --type status");
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }

  private static int port(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException("A port must be a number, not '" + value + "'");
    }
  }
}
