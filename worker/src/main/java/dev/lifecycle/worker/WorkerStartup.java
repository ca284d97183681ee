package dev.lifecycle.worker;

import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.worker.temporal.SearchAttributes;
import dev.lifecycle.worker.temporal.TemporalSettings;
import dev.lifecycle.worker.temporal.TemporalWorkers;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;

/**
 * Starts the workers once the application has started, after making sure the search attributes the
 * interpreter upserts exist, and re-creates the model endpoints recorded in the metadata database.
 */
@Singleton
public class WorkerStartup {
  private final WorkflowServiceStubs stubs;
  private final TemporalSettings settings;
  private final TemporalWorkers workers;
  private final LifecycleActivities activities;

  WorkerStartup(
      WorkflowServiceStubs stubs,
      TemporalSettings settings,
      TemporalWorkers workers,
      LifecycleActivities activities) {
    this.stubs = stubs;
    this.settings = settings;
    this.workers = workers;
    this.activities = activities;
  }

  @EventListener
  void onStartup(StartupEvent event) {
    SearchAttributes.ensure(stubs, settings.namespace());
    workers.start();
    // Endpoints deployed before this worker started serve again (from the registry).
    activities.serving().restore();
  }
}
