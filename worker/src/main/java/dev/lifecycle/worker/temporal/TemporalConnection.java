package dev.lifecycle.worker.temporal;

import dev.lifecycle.workflows.LifecycleDataConverter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetClusterInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;

/** Opens connections to a Temporal frontend with the settings every Lifecycle process shares. */
public final class TemporalConnection {
  private TemporalConnection() {}

  /**
   * Stubs connected to {@code address}, checked with a health call so that a wrong address fails
   * here, with its name, rather than at the first request.
   *
   * @throws IllegalStateException naming the address when no Temporal frontend answers there
   */
  public static WorkflowServiceStubs connect(String address, Duration timeout) {
    WorkflowServiceStubsOptions options =
        WorkflowServiceStubsOptions.newBuilder().setTarget(address).build();
    try {
      return WorkflowServiceStubs.newConnectedServiceStubs(options, timeout);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "No Temporal frontend answers at "
              + address
              + " ("
              + rootMessage(e)
              + "). Start one with './lifecycle dev' or 'temporal server start-dev', or set"
              + " TEMPORAL_ADDRESS.",
          e);
    }
  }

  /** A client for {@code namespace} that speaks Lifecycle's JSON. */
  public static WorkflowClient client(WorkflowServiceStubs stubs, String namespace) {
    return WorkflowClient.newInstance(
        stubs,
        WorkflowClientOptions.newBuilder()
            .setNamespace(namespace)
            .setDataConverter(LifecycleDataConverter.create())
            .build());
  }

  /**
   * Whether the frontend is the Java SDK's test server. It lacks {@code GetClusterInfo}, which
   * every real server (and {@code temporal server start-dev}) answers. Workers need to know because
   * the test server never moves a workflow task off the sticky queue of a killed worker unless the
   * sticky schedule-to-start timeout is zero.
   */
  public static boolean isJavaTestServer(WorkflowServiceStubs stubs) {
    try {
      stubs.blockingStub().getClusterInfo(GetClusterInfoRequest.getDefaultInstance());
      return false;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.UNIMPLEMENTED;
    }
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
