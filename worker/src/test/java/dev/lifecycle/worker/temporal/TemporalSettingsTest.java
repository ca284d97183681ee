package dev.lifecycle.worker.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemporalSettingsTest {

  @Test
  void defaultsToALocalClusterAndTheLifecycleQueue() {
    TemporalSettings settings = TemporalSettings.fromEnvironment(Map.of());

    assertEquals("localhost:7233", settings.address());
    assertEquals("default", settings.namespace());
    assertEquals(List.of("lifecycle"), settings.taskQueues());
  }

  @Test
  void servesExtraQueuesOnceEachAfterTheMainOne() {
    TemporalSettings settings =
        TemporalSettings.fromEnvironment(
            Map.of(
                "TEMPORAL_ADDRESS", "temporal.prod:7233",
                "LIFECYCLE_TASK_QUEUE", "ml",
                "LIFECYCLE_EXTRA_TASK_QUEUES", " training, ,ml,gpu "));

    assertEquals("temporal.prod:7233", settings.address());
    assertEquals(List.of("ml", "training", "gpu"), settings.taskQueues());
  }
}
