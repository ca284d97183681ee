package dev.lifecycle.worker.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.workflows.ApprovalDecision;
import dev.lifecycle.workflows.PipelineWorkflow;
import dev.lifecycle.workflows.RunStatus;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts pipeline runs and talks to them, for the REST API and the command line alike. Parameters
 * are checked against the pipeline before a run starts, so a typo is a clear error at the caller
 * rather than a failed run.
 */
public final class PipelineRuns {
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  /** How long {@link #status} waits for the run to answer. */
  public static final Duration STATUS_TIMEOUT = Duration.ofSeconds(5);

  /** Times out status queries (of runs and of monitors). */
  static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "lifecycle-query-deadlines");
            thread.setDaemon(true);
            return thread;
          });

  private final WorkflowClient client;
  private final String taskQueue;
  private final PipelineRegistry registry;

  public PipelineRuns(WorkflowClient client, String taskQueue, PipelineRegistry registry) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.registry = registry;
  }

  /** A started run. */
  public record StartedRun(String workflowId, String runId) {}

  /**
   * Starts a run of a registered pipeline.
   *
   * @param parameters the values the caller sets; the others keep their defaults
   * @param workflowId the run's workflow id, or null for {@code <pipeline>-<time>-<random>}
   * @throws dev.lifecycle.dsl.UnknownPipelineException when no such pipeline is registered
   * @throws dev.lifecycle.dsl.compile.PlanValidationException naming each bad parameter
   * @throws RunRequestException when the workflow id is in use
   */
  public StartedRun start(String pipeline, Map<String, Object> parameters, String workflowId) {
    Map<String, Object> given = parameters == null ? Map.of() : parameters;
    Map<String, Object> bound = registry.bind(pipeline, given).parameters();
    // Send only what the caller set, coerced: defaults stay the worker's, whose definition rules.
    Map<String, Object> sent = new LinkedHashMap<>();
    given.keySet().forEach(k -> sent.put(k, bound.get(k)));
    ObjectNode input = PlanJson.lenient().createObjectNode();
    input.put("pipeline", pipeline);
    input.set("parameters", PlanJson.lenient().valueToTree(sent));
    return startInput(pipeline, input, workflowId);
  }

  /**
   * Starts a run of a whole plan (for plans edited by hand or generated elsewhere); the interpreter
   * checks it.
   */
  public StartedRun startPlan(
      PipelinePlan plan, Map<String, Object> parameters, String workflowId) {
    ObjectNode input = PlanJson.lenient().createObjectNode();
    input.set("plan", PlanJson.lenient().valueToTree(plan));
    input.set(
        "parameters", PlanJson.lenient().valueToTree(parameters == null ? Map.of() : parameters));
    return startInput(plan.name(), input, workflowId);
  }

  private StartedRun startInput(String pipeline, JsonNode input, String workflowId) {
    String id = workflowId == null || workflowId.isBlank() ? newWorkflowId(pipeline) : workflowId;
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            PipelineWorkflow.TYPE,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(taskQueue).build());
    try {
      WorkflowExecution execution = stub.start(input);
      return new StartedRun(execution.getWorkflowId(), execution.getRunId());
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new RunRequestException(
          "Workflow id '" + id + "' is already in use by a run; choose another", e);
    }
  }

  /**
   * A workflow id unique enough for people to read and type: {@code
   * abalone-20250102-143000-1a2b3c}.
   */
  public static String newWorkflowId(String pipeline) {
    return pipeline
        + "-"
        + LocalDateTime.now(ZoneOffset.UTC).format(ID_TIME)
        + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }

  /** A stub of the run {@code workflowId} (its latest execution). */
  public WorkflowStub stub(String workflowId) {
    return client.newUntypedWorkflowStub(workflowId);
  }

  /**
   * The run's {@code status} query.
   *
   * @throws RunNotFoundException when there is no such run
   * @throws RunRequestException when it cannot answer (no worker has picked it up yet)
   */
  public RunStatus status(String workflowId) {
    // A run whose workflow task keeps failing, or that no worker polls, never answers; without a
    // deadline the client retries for a minute per call.
    try (Context.CancellableContext deadline =
        Context.current()
            .withDeadlineAfter(STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS, DEADLINES)) {
      return deadline.call(() -> stub(workflowId).query("status", RunStatus.class));
    } catch (WorkflowNotFoundException e) {
      throw new RunNotFoundException(workflowId, client.getOptions().getNamespace(), e);
    } catch (WorkflowException e) {
      if (isDeadlineExceeded(e)) {
        throw new RunRequestException(
            "Run '"
                + workflowId
                + "' did not answer its status within "
                + STATUS_TIMEOUT.toSeconds()
                + "s: no worker may be serving its task queue, or its workflow task is failing"
                + " (see the worker's log)",
            e);
      }
      throw new RunRequestException(
          "Run '" + workflowId + "' cannot answer its status: " + Failures.message(e), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Status query of run '" + workflowId + "' failed", e);
    }
  }

  /** The status of the run when it exists and has closed, else null. */
  private WorkflowExecutionStatus closedStatus(String workflowId) {
    try {
      WorkflowExecutionStatus status = stub(workflowId).describe().getStatus();
      return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING ? null : status;
    } catch (WorkflowNotFoundException e) {
      return null;
    }
  }

  private static boolean isDeadlineExceeded(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StatusRuntimeException s
          && s.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sends the {@code approve} update.
   *
   * @throws RunNotFoundException when there is no such run
   * @throws RunRequestException when no gate waits, or the named step is not a waiting gate
   */
  public ApprovalDecision approve(String workflowId, ApprovalDecision decision) {
    try {
      return stub(workflowId).update("approve", ApprovalDecision.class, decision);
    } catch (WorkflowNotFoundException e) {
      // Temporal answers an update to a closed run as if the run did not exist.
      WorkflowExecutionStatus closed = closedStatus(workflowId);
      if (closed != null) {
        throw new RunRequestException(
            "Run '"
                + workflowId
                + "' has ended ("
                + closed.name().replace("WORKFLOW_EXECUTION_STATUS_", "")
                + "): no approval gate waits",
            e);
      }
      throw new RunNotFoundException(workflowId, client.getOptions().getNamespace(), e);
    } catch (WorkflowUpdateException | WorkflowServiceException e) {
      throw new RunRequestException(
          "Run '" + workflowId + "' refused the approval: " + Failures.message(e), e);
    }
  }
}
