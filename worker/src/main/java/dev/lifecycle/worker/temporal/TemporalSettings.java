package dev.lifecycle.worker.temporal;

import dev.lifecycle.workflows.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the worker finds Temporal and which task queues it serves.
 *
 * @param address the frontend's {@code host:port}; env {@code TEMPORAL_ADDRESS}, default {@code
 *     localhost:7233}
 * @param namespace env {@code TEMPORAL_NAMESPACE}, default {@code default}
 * @param taskQueue the queue runs start on; env {@code LIFECYCLE_TASK_QUEUE}, default {@code
 *     lifecycle}
 * @param extraTaskQueues further queues this worker also serves (e.g. a {@code training} queue that
 *     steps route to); env {@code LIFECYCLE_EXTRA_TASK_QUEUES}, a comma list, default none
 */
public record TemporalSettings(
    String address, String namespace, String taskQueue, List<String> extraTaskQueues) {

  /** The default frontend address, the one {@code temporal server start-dev} listens on. */
  public static final String DEFAULT_ADDRESS = "localhost:7233";

  /** The default namespace. */
  public static final String DEFAULT_NAMESPACE = "default";

  public TemporalSettings {
    address = blankToDefault(address, DEFAULT_ADDRESS);
    namespace = blankToDefault(namespace, DEFAULT_NAMESPACE);
    taskQueue = blankToDefault(taskQueue, Names.TASK_QUEUE);
    extraTaskQueues = extraTaskQueues == null ? List.of() : List.copyOf(extraTaskQueues);
  }

  /** Settings read from {@code env}. */
  public static TemporalSettings fromEnvironment(Map<String, String> env) {
    return new TemporalSettings(
        env.get("TEMPORAL_ADDRESS"),
        env.get("TEMPORAL_NAMESPACE"),
        env.get("LIFECYCLE_TASK_QUEUE"),
        parseQueues(env.get("LIFECYCLE_EXTRA_TASK_QUEUES")));
  }

  /** A comma list of queue names, blanks dropped; {@code null} gives none. */
  public static List<String> parseQueues(String commaList) {
    if (commaList == null) {
      return List.of();
    }
    return Arrays.stream(commaList.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Every queue this worker serves, the main one first, without duplicates. */
  public List<String> taskQueues() {
    LinkedHashSet<String> queues = new LinkedHashSet<>();
    queues.add(taskQueue);
    queues.addAll(extraTaskQueues);
    return List.copyOf(new ArrayList<>(queues));
  }

  /** The same settings with another address. */
  public TemporalSettings withAddress(String value) {
    return new TemporalSettings(value, namespace, taskQueue, extraTaskQueues);
  }

  private static String blankToDefault(String value, String fallback) {
    return value == null || value.isBlank() ? Objects.requireNonNull(fallback) : value.trim();
  }
}
