package dev.lifecycle.worker.labeling;

import dev.lifecycle.activities.labeling.LabelingRecords.Job;
import dev.lifecycle.workflows.labeling.LabelingWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a job's {@link LabelingWorkflow} of milestones with its {@code answers-changed} signal,
 * never of single answers: when {@code signal-every} items have got all their answers, when a
 * labeler has nothing left to answer (their batch is done, perhaps the whole job), and otherwise at
 * most {@code signal-delay} after an item completed (so a quota is noticed soon). Answers stay in
 * the labeling store; the workflow reads counts from it when signalled (and hourly regardless), so
 * a lost signal delays a milestone but loses nothing.
 */
@Singleton
public class MilestoneSignals implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MilestoneSignals.class);

  private final WorkflowClient client;
  private final LabelingApiSettings settings;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  /** Completed items not yet told to one workflow, and whether a delayed flush is scheduled. */
  private static final class Pending {
    long items;
    boolean scheduled;
  }

  MilestoneSignals(WorkflowClient client, LabelingApiSettings settings) {
    this.client = client;
    this.settings = settings;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "labeling-signals");
              t.setDaemon(true);
              return t;
            });
  }

  /** An item of {@code job} has all the answers it needs. */
  public void itemCompleted(Job job) {
    String workflowId = job.workflowId();
    if (workflowId == null) {
      return;
    }
    boolean now;
    boolean schedule = false;
    Pending p = pending.computeIfAbsent(workflowId, id -> new Pending());
    synchronized (p) {
      p.items++;
      now = p.items >= settings.signalEvery();
      if (!now && !p.scheduled) {
        p.scheduled = true;
        schedule = true;
      }
    }
    if (now) {
      scheduler.execute(() -> flush(workflowId));
    } else if (schedule) {
      scheduler.schedule(
          () -> flush(workflowId), settings.signalDelay().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A labeler of {@code job} has nothing left: tell the workflow of what completed, at once. */
  public void queueEmpty(Job job) {
    String workflowId = job.workflowId();
    if (workflowId != null && pending.containsKey(workflowId)) {
      scheduler.execute(() -> flush(workflowId));
    }
  }

  /** Signals the workflow when items completed since the last signal. */
  void flush(String workflowId) {
    Pending p = pending.get(workflowId);
    if (p == null) {
      return;
    }
    long items;
    synchronized (p) {
      items = p.items;
      p.items = 0;
      p.scheduled = false;
    }
    if (items == 0) {
      return;
    }
    try {
      client.newWorkflowStub(LabelingWorkflow.class, workflowId).answersChanged();
      log.debug("Signalled {}: {} more items labeled", workflowId, items);
    } catch (WorkflowNotFoundException e) {
      // The job's workflow has ended (closed or complete): nobody waits for the news.
      pending.remove(workflowId);
    } catch (RuntimeException e) {
      log.warn(
          "Could not signal {} that {} items were labeled ({}); it reads the store again within"
              + " the hour",
          workflowId,
          items,
          e.toString());
    }
  }

  @PreDestroy
  @Override
  public void close() {
    scheduler.shutdown();
  }
}
