package dev.lifecycle.workflows;

import dev.lifecycle.workflows.labeling.LabelingWorkflowImpl;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.worker.Worker;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every Lifecycle worker does the same way: register the workflows with the options they need,
 * register activity implementations, and make sure the search attributes the workflows upsert
 * exist.
 *
 * <pre>{@code
 * WorkflowClient client = WorkflowClient.newInstance(service,
 *     WorkflowClientOptions.newBuilder().setDataConverter(LifecycleDataConverter.create()).build());
 * LifecycleWorkers.registerSearchAttributes(operatorStubs, client.getOptions().getNamespace());
 * Worker worker = WorkerFactory.newInstance(client).newWorker(Names.TASK_QUEUE);
 * LifecycleWorkers.register(worker, dataActivities, trainingActivities, ...);
 * }</pre>
 */
public final class LifecycleWorkers {
  private LifecycleWorkers() {}

  /**
   * The search attributes the workflows upsert, by name. A cluster must know them before the first
   * run, or the run's first workflow task fails on the upsert: {@code temporal operator
   * search-attribute create --name LifecyclePipeline --type Keyword} (likewise LifecycleState), or
   * {@link #registerSearchAttributes}.
   */
  public static Map<String, IndexedValueType> searchAttributes() {
    Map<String, IndexedValueType> attributes = new LinkedHashMap<>();
    attributes.put(Names.SA_PIPELINE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    attributes.put(Names.SA_STATE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    return attributes;
  }

  /** Registers every Lifecycle workflow implementation on {@code worker}, with its options. */
  public static void registerWorkflows(Worker worker) {
    worker.registerWorkflowImplementationTypes(
        PipelineWorkflowImpl.implementationOptions(), PipelineWorkflowImpl.class);
    worker.registerWorkflowImplementationTypes(
        PipelineWorkflowImpl.implementationOptions(), LabelingWorkflowImpl.class);
    worker.registerWorkflowImplementationTypes(
        PipelineWorkflowImpl.implementationOptions(),
        dev.lifecycle.workflows.monitoring.MonitoringWorkflowImpl.class);
  }

  /**
   * Registers every Lifecycle workflow and the given activity implementations on {@code worker}. A
   * worker of a dedicated queue (e.g. training machines) that runs activities only calls {@link
   * Worker#registerActivitiesImplementations} instead.
   */
  public static void register(Worker worker, Object... activities) {
    registerWorkflows(worker);
    if (activities.length > 0) {
      worker.registerActivitiesImplementations(activities);
    }
  }

  /**
   * Adds the {@linkplain #searchAttributes() search attributes} that {@code namespace} lacks; those
   * it has are left alone, so every worker may call this at start-up. Works against a real cluster
   * and the Temporal Java test server alike.
   *
   * @throws StatusRuntimeException when the server refuses (e.g. no permission)
   */
  public static void registerSearchAttributes(OperatorServiceStubs operator, String namespace) {
    Map<String, IndexedValueType> missing = new LinkedHashMap<>(searchAttributes());
    try {
      ListSearchAttributesResponse existing =
          operator
              .blockingStub()
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build());
      missing.keySet().removeAll(existing.getCustomAttributesMap().keySet());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
    }
    for (Map.Entry<String, IndexedValueType> attribute : missing.entrySet()) {
      try {
        operator
            .blockingStub()
            .addSearchAttributes(
                AddSearchAttributesRequest.newBuilder()
                    .setNamespace(namespace)
                    .putSearchAttributes(attribute.getKey(), attribute.getValue())
                    .build());
      } catch (StatusRuntimeException e) {
        // Another worker may have added it since we listed.
        if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
          throw e;
        }
      }
    }
  }
}
