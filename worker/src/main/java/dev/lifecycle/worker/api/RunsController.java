package dev.lifecycle.worker.api;

import dev.lifecycle.dsl.UnknownPipelineException;
import dev.lifecycle.dsl.compile.PlanValidationException;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.worker.temporal.RunNotFoundException;
import dev.lifecycle.worker.temporal.RunRequestException;
import dev.lifecycle.workflows.ApprovalDecision;
import dev.lifecycle.workflows.RunStatus;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.function.Supplier;

/** Starts runs, reports their status, and answers their approval gates. */
@Controller("/api/runs")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RunsController {
  private final PipelineRuns runs;

  RunsController(PipelineRuns runs) {
    this.runs = runs;
  }

  /**
   * Starts a run: 201 with {@code {"workflowId", "runId"}}; 404 for an unknown pipeline, 400 for a
   * bad parameter, 409 for a workflow id in use.
   */
  @Post
  public HttpResponse<PipelineRuns.StartedRun> start(@Body StartRunRequest request) {
    if (request == null || request.pipeline() == null || request.pipeline().isBlank()) {
      throw new HttpStatusException(
          HttpStatus.BAD_REQUEST,
          "The body must name a pipeline: {\"pipeline\": \"abalone\", \"parameters\": {...}}");
    }
    return HttpResponse.created(
        call(() -> runs.start(request.pipeline(), request.parameters(), request.workflowId())));
  }

  /** The run's {@code status} query: every step's state, timing, metrics and summary. */
  @Get("/{workflowId}")
  public RunStatus status(@PathVariable String workflowId) {
    return call(() -> runs.status(workflowId));
  }

  /**
   * Approves (or with {@code "approved": false} rejects) a waiting gate; 409 when no such gate
   * waits.
   */
  @Post("/{workflowId}/approve")
  public ApprovalDecision approve(
      @PathVariable String workflowId, @Body ApprovalDecision decision) {
    return call(
        () ->
            runs.approve(
                workflowId,
                decision == null ? new ApprovalDecision(null, true, null, null) : decision));
  }

  private static <T> T call(Supplier<T> action) {
    try {
      return action.get();
    } catch (UnknownPipelineException | RunNotFoundException e) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, e.getMessage());
    } catch (PlanValidationException e) {
      throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
    } catch (RunRequestException e) {
      throw new HttpStatusException(HttpStatus.CONFLICT, e.getMessage());
    }
  }
}
