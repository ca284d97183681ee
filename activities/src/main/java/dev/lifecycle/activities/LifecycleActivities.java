package dev.lifecycle.activities;

import dev.lifecycle.activities.data.DataActivitiesImpl;
import dev.lifecycle.activities.deployment.DeploymentActivitiesImpl;
import dev.lifecycle.activities.deployment.serving.ModelLoader;
import dev.lifecycle.activities.deployment.serving.ServingRuntime;
import dev.lifecycle.activities.evaluation.EvaluationActivitiesImpl;
import dev.lifecycle.activities.labeling.LabelingActivitiesImpl;
import dev.lifecycle.activities.plan.PlanActivitiesImpl;
import dev.lifecycle.activities.registry.RegistryActivitiesImpl;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.training.TrainingActivitiesImpl;
import dev.lifecycle.dsl.PipelineRegistry;
import java.util.List;

/**
 * Every activity implementation of Lifecycle over one artifact store and one metadata store, ready
 * for {@code worker.registerActivitiesImplementations(activities.all().toArray())}.
 *
 * <pre>{@code
 * try (LifecycleActivities activities = LifecycleActivities.open(settings)) {
 *   worker.registerActivitiesImplementations(activities.all().toArray());
 *   ...
 * }
 * }</pre>
 *
 * Closing it closes the metadata store; close it only after the workers that use it have stopped.
 */
public final class LifecycleActivities implements AutoCloseable {
  private final ArtifactStore artifacts;
  private final MetadataStore metadata;
  private final ServingRuntime serving;
  private final List<Object> all;

  private LifecycleActivities(
      ArtifactStore artifacts, MetadataStore metadata, PipelineRegistry pipelines) {
    this.artifacts = artifacts;
    this.metadata = metadata;
    this.serving =
        new ServingRuntime(
            metadata, ModelLoader.fromArtifacts(artifacts), ServingRuntime.Options.DEFAULT);
    this.all =
        List.of(
            new PlanActivitiesImpl(pipelines),
            new DataActivitiesImpl(artifacts, metadata),
            new TrainingActivitiesImpl(artifacts, metadata),
            new EvaluationActivitiesImpl(artifacts),
            new RegistryActivitiesImpl(metadata, artifacts),
            new DeploymentActivitiesImpl(artifacts, metadata, serving),
            new LabelingActivitiesImpl(artifacts, metadata),
            new dev.lifecycle.activities.monitoring.MonitoringActivitiesImpl(artifacts),
            new dev.lifecycle.activities.monitoring.CaptureActivitiesImpl(
                artifacts, serving::writeCaptureWindow));
  }

  /**
   * Opens the stores of {@code settings} (creating {@code LIFECYCLE_HOME/artifacts} and migrating
   * the metadata database as needed) and the pipelines on the class path.
   */
  public static LifecycleActivities open(LifecycleSettings settings) {
    return open(settings, PipelineRegistry.fromServiceLoader());
  }

  /** Like {@link #open(LifecycleSettings)}, with the pipelines of {@code pipelines}. */
  public static LifecycleActivities open(LifecycleSettings settings, PipelineRegistry pipelines) {
    ArtifactStore artifacts = new LocalArtifactStore(settings.artifacts());
    MetadataStore metadata = MetadataStore.open(settings);
    try {
      return new LifecycleActivities(artifacts, metadata, pipelines);
    } catch (RuntimeException e) {
      metadata.close();
      throw e;
    }
  }

  /** Every activity implementation, one per activity interface. */
  public List<Object> all() {
    return all;
  }

  /** The artifact store the activities share. */
  public ArtifactStore artifacts() {
    return artifacts;
  }

  /** The metadata store the activities share. */
  public MetadataStore metadata() {
    return metadata;
  }

  /**
   * The endpoints this process serves; the worker calls {@link ServingRuntime#restore()} when it
   * starts.
   */
  public ServingRuntime serving() {
    return serving;
  }

  @Override
  public void close() {
    serving.close();
    metadata.close();
  }
}
