package dev.lifecycle.worker;

import dev.lifecycle.worker.temporal.SearchAttributes;
import dev.lifecycle.worker.temporal.TemporalSettings;
import dev.lifecycle.worker.temporal.TemporalWorkers;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;

/**
 * Starts the workers once the application has started, after making sure the search attributes the
 * interpreter upserts exist.
 */
@Singleton
public class WorkerStartup {
  private final WorkflowServiceStubs stubs;
  private final TemporalSettings settings;
  private final TemporalWorkers workers;

  WorkerStartup(WorkflowServiceStubs stubs, TemporalSettings settings, TemporalWorkers workers) {
    this.stubs = stubs;
    this.settings = settings;
    this.workers = workers;
  }

  @EventListener
  void onStartup(StartupEvent event) {
    SearchAttributes.ensure(stubs, settings.namespace());
    workers.start();
  }
}
