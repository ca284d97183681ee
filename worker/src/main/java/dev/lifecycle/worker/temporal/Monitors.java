package dev.lifecycle.worker.temporal;

import dev.lifecycle.workflows.Names;
import dev.lifecycle.workflows.monitoring.MonitoringState;
import io.grpc.Context;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The monitors of deployments ({@code MonitoringWorkflow} runs with id {@code
 * monitor/<deployment>}, see {@link Names#monitorId}): their status, the signals people send them,
 * and the list of open ones (through {@code ListOpenWorkflowExecutions}, which the Java test server
 * implements too).
 */
public final class Monitors {
  /** How long a status query may take before the caller hears why it did not answer. */
  static final Duration STATUS_TIMEOUT = Duration.ofSeconds(10);

  /** The signals a person may send a monitor. */
  public static final Set<String> SIGNALS = Set.of("pause", "resume", "run-now");

  private final WorkflowClient client;

  public Monitors(WorkflowClient client) {
    this.client = client;
  }

  /** The deployments that have an open monitor, sorted. */
  public List<String> deployments() {
    List<String> deployments = new ArrayList<>();
    com.google.protobuf.ByteString page = com.google.protobuf.ByteString.EMPTY;
    do {
      var response =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .listOpenWorkflowExecutions(
                  ListOpenWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setTypeFilter(
                          WorkflowTypeFilter.newBuilder().setName("MonitoringWorkflow").build())
                      .setMaximumPageSize(1000)
                      .setNextPageToken(page)
                      .build());
      for (WorkflowExecutionInfo info : response.getExecutionsList()) {
        String id = info.getExecution().getWorkflowId();
        String prefix = Names.monitorId("");
        if (id.startsWith(prefix)) {
          deployments.add(id.substring(prefix.length()));
        }
      }
      page = response.getNextPageToken();
    } while (!page.isEmpty());
    deployments.sort(null);
    return deployments;
  }

  /**
   * The monitor's {@code status} query.
   *
   * @throws RunNotFoundException when the deployment has no monitor, or its monitor has ended
   * @throws RunRequestException when it does not answer in time
   */
  public MonitoringState status(String deployment) {
    WorkflowStub stub = open(deployment);
    try (Context.CancellableContext deadline =
        Context.current()
            .withDeadlineAfter(
                STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS, PipelineRuns.DEADLINES)) {
      return deadline.call(() -> stub.query("status", MonitoringState.class));
    } catch (WorkflowNotFoundException e) {
      throw notFound(deployment, e);
    } catch (WorkflowException e) {
      throw new RunRequestException(
          "The monitor of '"
              + deployment
              + "' cannot answer its status: "
              + Failures.message(e)
              + " (is a worker serving its task queue?)",
          e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Status query of the monitor of '" + deployment + "'", e);
    }
  }

  /**
   * Sends {@code signal} (one of {@link #SIGNALS}) to the deployment's monitor.
   *
   * @throws IllegalArgumentException naming the signal when it is not one of {@link #SIGNALS}
   * @throws RunNotFoundException when the deployment has no open monitor
   */
  public void signal(String deployment, String signal) {
    if (!SIGNALS.contains(signal)) {
      throw new IllegalArgumentException(
          "Unknown monitor signal '" + signal + "'; use one of " + List.copyOf(SIGNALS));
    }
    try {
      open(deployment).signal(signal);
    } catch (WorkflowNotFoundException e) {
      throw notFound(deployment, e);
    }
  }

  /** The stub of the deployment's monitor when it is open. */
  private WorkflowStub open(String deployment) {
    String id = Names.monitorId(deployment);
    WorkflowStub stub = client.newUntypedWorkflowStub(id);
    try {
      WorkflowExecutionStatus status = stub.describe().getStatus();
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        throw new RunNotFoundException(
            "The monitor of '"
                + deployment
                + "' ("
                + id
                + ") has ended: "
                + status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase());
      }
    } catch (WorkflowNotFoundException e) {
      throw notFound(deployment, e);
    }
    return stub;
  }

  private RunNotFoundException notFound(String deployment, Exception cause) {
    return new RunNotFoundException(
        Names.monitorId(deployment), client.getOptions().getNamespace(), cause);
  }
}
