package dev.lifecycle.worker.labeling;

import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.labeling.LabelingStore;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;

/** The labeling API's beans: its settings and the labeling store in the metadata database. */
@Factory
public class LabelingBeans {

  @Singleton
  LabelingApiSettings labelingApiSettings(
      @Value("${lifecycle.labeling.admin-token:}") String adminToken,
      @Value("${lifecycle.labeling.lease:10m}") Duration lease,
      @Value("${lifecycle.labeling.signal-every:100}") int signalEvery,
      @Value("${lifecycle.labeling.signal-delay:2s}") Duration signalDelay) {
    return new LabelingApiSettings(adminToken, lease, signalEvery, signalDelay);
  }

  @Singleton
  LabelingStore labelingStore(LifecycleActivities activities) {
    return LabelingStore.of(activities.metadata());
  }
}
