package dev.lifecycle.worker.temporal;

import dev.lifecycle.workflows.LifecycleWorkers;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal workers of one process: one per task queue, each running the pipeline interpreter
 * and every activity. Closing drains in-flight tasks for up to {@link #DRAIN_TIMEOUT}, then
 * interrupts what is left (a training activity resumes from its heartbeat checkpoint elsewhere).
 */
public final class TemporalWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TemporalWorkers.class);

  /** How long a workflow task may run without yielding before the SDK calls it a deadlock. */
  static final Duration DEADLOCK_DETECTION = Duration.ofSeconds(5);

  /** How long {@link #close()} waits for running tasks. */
  public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);

  private final WorkerFactory factory;
  private final List<String> taskQueues;

  private TemporalWorkers(WorkerFactory factory, List<String> taskQueues) {
    this.factory = factory;
    this.taskQueues = taskQueues;
  }

  /**
   * Workers for every queue of {@code settings}, not yet started.
   *
   * @param activities the activity implementations ({@code LifecycleActivities.all()})
   * @param javaTestServer whether the frontend is the Java test server, which needs a zero sticky
   *     schedule-to-start timeout so that a killed worker's runs move to the others
   */
  public static TemporalWorkers create(
      WorkflowClient client,
      TemporalSettings settings,
      List<Object> activities,
      boolean javaTestServer) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    // A cold JVM loads the plan, compiler and Jackson classes in the first workflow task; on a
    // loaded
    // 2-core machine that took over the SDK's 1 s deadlock limit (TMPRL1101) and cost a retry.
    WorkerOptions.Builder options =
        WorkerOptions.newBuilder()
            .setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION.toMillis());
    if (javaTestServer) {
      options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
    }
    for (String queue : settings.taskQueues()) {
      Worker worker = factory.newWorker(queue, options.build());
      LifecycleWorkers.register(worker, activities.toArray());
    }
    return new TemporalWorkers(factory, settings.taskQueues());
  }

  /** Starts polling every queue. */
  public void start() {
    factory.start();
    LOG.info("Worker polling task queue(s) {}", taskQueues);
  }

  /** The queues served. */
  public List<String> taskQueues() {
    return taskQueues;
  }

  @Override
  public void close() {
    if (factory.isShutdown()) {
      return;
    }
    factory.shutdown();
    factory.awaitTermination(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      LOG.warn("Workers did not finish within {}; interrupting what is left", DRAIN_TIMEOUT);
      factory.shutdownNow();
      factory.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
