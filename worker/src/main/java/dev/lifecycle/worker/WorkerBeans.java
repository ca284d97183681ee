package dev.lifecycle.worker;

import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.worker.temporal.Monitors;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.worker.temporal.TemporalConnection;
import dev.lifecycle.worker.temporal.TemporalSettings;
import dev.lifecycle.worker.temporal.TemporalWorkers;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The worker's beans: settings from {@code application.yml} (each backed by an environment
 * variable), the Temporal connection and client, the activity implementations and the workers.
 * Closing the context shuts the workers down before the connection.
 */
@Factory
public class WorkerBeans {

  /** How long start-up waits for the Temporal frontend to answer. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  @Singleton
  TemporalSettings temporalSettings(
      @Value("${lifecycle.temporal.address}") String address,
      @Value("${lifecycle.temporal.namespace}") String namespace,
      @Value("${lifecycle.temporal.task-queue}") String taskQueue,
      @Value("${lifecycle.temporal.extra-task-queues:}") String extraTaskQueues) {
    return new TemporalSettings(
        address, namespace, taskQueue, TemporalSettings.parseQueues(extraTaskQueues));
  }

  @Singleton
  LifecycleSettings lifecycleSettings(
      @Value("${lifecycle.home:}") String home,
      @Value("${lifecycle.jdbc.url:}") String jdbcUrl,
      @Value("${lifecycle.jdbc.user:}") String jdbcUser,
      @Value("${lifecycle.jdbc.password:}") String jdbcPassword) {
    Map<String, String> values = new HashMap<>();
    putIfSet(values, "LIFECYCLE_HOME", home);
    putIfSet(values, "LIFECYCLE_JDBC_URL", jdbcUrl);
    putIfSet(values, "LIFECYCLE_JDBC_USER", jdbcUser);
    putIfSet(values, "LIFECYCLE_JDBC_PASSWORD", jdbcPassword);
    return LifecycleSettings.fromEnvironment(values);
  }

  @Singleton
  @Bean(preDestroy = "shutdown")
  WorkflowServiceStubs workflowServiceStubs(TemporalSettings settings) {
    return TemporalConnection.connect(settings.address(), CONNECT_TIMEOUT);
  }

  @Singleton
  WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalSettings settings) {
    return TemporalConnection.client(stubs, settings.namespace());
  }

  @Singleton
  PipelineRegistry pipelineRegistry() {
    return PipelineRegistry.fromServiceLoader();
  }

  @Singleton
  PipelineRuns pipelineRuns(
      WorkflowClient client, TemporalSettings settings, PipelineRegistry registry) {
    return new PipelineRuns(client, settings.taskQueue(), registry);
  }

  @Singleton
  Monitors monitors(WorkflowClient client) {
    return new Monitors(client);
  }

  @Singleton
  @Bean(preDestroy = "close")
  LifecycleActivities lifecycleActivities(LifecycleSettings settings) {
    return LifecycleActivities.open(settings);
  }

  @Singleton
  @Bean(preDestroy = "close")
  TemporalWorkers lifecycleWorkers(
      WorkflowClient client,
      WorkflowServiceStubs stubs,
      TemporalSettings settings,
      LifecycleActivities activities) {
    return TemporalWorkers.create(
        client, settings, activities.all(), TemporalConnection.isJavaTestServer(stubs));
  }

  private static void putIfSet(Map<String, String> values, String key, String value) {
    if (value != null && !value.isBlank()) {
      values.put(key, value);
    }
  }
}
