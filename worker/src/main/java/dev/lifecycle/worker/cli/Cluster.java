package dev.lifecycle.worker.cli;

import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.worker.temporal.TemporalConnection;
import dev.lifecycle.worker.temporal.TemporalSettings;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A client connection to the cluster named by {@code --address}/{@code TEMPORAL_ADDRESS}. */
final class Cluster implements AutoCloseable {
  /** The options every client command accepts. */
  static final Set<String> OPTIONS = Set.of("--address", "--namespace", "--task-queue");

  /** Their help text. */
  static final String HELP =
      """
        --address HOST:PORT   the Temporal frontend (env TEMPORAL_ADDRESS, default localhost:7233)
        --namespace NS        (env TEMPORAL_NAMESPACE, default default)
        --task-queue Q        the queue runs start on (env LIFECYCLE_TASK_QUEUE, default lifecycle)
      """;

  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final TemporalSettings settings;

  private Cluster(WorkflowServiceStubs stubs, WorkflowClient client, TemporalSettings settings) {
    this.stubs = stubs;
    this.client = client;
    this.settings = settings;
  }

  /** The settings from the environment, overridden by the command's options. */
  static TemporalSettings settings(Args args, Console console) {
    TemporalSettings env = TemporalSettings.fromEnvironment(console.env());
    return new TemporalSettings(
        args.value("--address").orElse(env.address()),
        args.value("--namespace").orElse(env.namespace()),
        args.value("--task-queue").orElse(env.taskQueue()),
        env.extraTaskQueues());
  }

  /** Connects, failing with the address in the message when nothing answers there. */
  static Cluster connect(Args args, Console console) {
    TemporalSettings settings = settings(args, console);
    WorkflowServiceStubs stubs =
        TemporalConnection.connect(settings.address(), Duration.ofSeconds(10));
    return new Cluster(stubs, TemporalConnection.client(stubs, settings.namespace()), settings);
  }

  TemporalSettings settings() {
    return settings;
  }

  WorkflowClient client() {
    return client;
  }

  PipelineRuns runs(PipelineRegistry registry) {
    return new PipelineRuns(client, settings.taskQueue(), registry);
  }

  @Override
  public void close() {
    stubs.shutdown();
    stubs.awaitTermination(5, TimeUnit.SECONDS);
  }
}
