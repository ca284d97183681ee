package dev.lifecycle.worker.labeling;

import dev.lifecycle.activities.labeling.LabelingRecords.Credentials;
import dev.lifecycle.activities.labeling.LabelingRecords.Job;
import dev.lifecycle.activities.labeling.LabelingRecords.JobStatus;
import dev.lifecycle.activities.labeling.LabelingStore;
import dev.lifecycle.worker.labeling.LabelingViews.AdminJobView;
import dev.lifecycle.worker.labeling.LabelingViews.AnnotatorToken;
import dev.lifecycle.worker.labeling.LabelingViews.AssignRequest;
import dev.lifecycle.worker.labeling.LabelingViews.CloseRequest;
import dev.lifecycle.worker.labeling.LabelingViews.ClosedView;
import dev.lifecycle.worker.labeling.LabelingViews.CreateAnnotatorRequest;
import dev.lifecycle.workflows.labeling.LabelingStatus;
import dev.lifecycle.workflows.labeling.LabelingWorkflow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The labeling admin API, behind {@code Authorization: Bearer <LIFECYCLE_ADMIN_TOKEN>}: create
 * annotators (their token is shown once) or give them a new token, assign them to jobs, list jobs
 * with their counts, and close a job early (the job's {@code LabelingWorkflow} {@code close}
 * update, so the run goes on with the labels it has).
 */
@Controller("/api/labeling/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
public class LabelingAdminController {
  private final LabelingStore store;
  private final LabelingAuth auth;
  private final WorkflowClient client;

  LabelingAdminController(LabelingStore store, LabelingAuth auth, WorkflowClient client) {
    this.store = store;
    this.auth = auth;
    this.client = client;
  }

  /**
   * Creates an annotator: 201 with their token, the only time it is shown; 409 if the name is
   * taken.
   */
  @Post("/annotators")
  public HttpResponse<AnnotatorToken> createAnnotator(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @Nullable @Body CreateAnnotatorRequest request) {
    auth.admin(authorization);
    if (request == null || request.name() == null || request.name().isBlank()) {
      throw new LabelingApiException(
          HttpStatus.BAD_REQUEST, "The body must name the annotator: {\"name\": \"ana\"}", "name");
    }
    Credentials created = LabelingErrors.call(null, () -> create(request.name().strip()));
    return HttpResponse.created(token(created));
  }

  /** Gives an annotator a new token (the old one stops working) and shows it once. */
  @Post("/annotators/{name}/token")
  public AnnotatorToken resetToken(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String name) {
    auth.admin(authorization);
    return token(LabelingErrors.call(null, () -> store.resetToken(name)));
  }

  /** Every job, newest first, with counts; {@code ?status=open|preparing|closed} filters. */
  @Get("/jobs")
  public List<AdminJobView> jobs(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @Nullable @QueryValue String status) {
    auth.admin(authorization);
    return store.jobs(parseStatus(status)).stream().map(this::view).toList();
  }

  /** One job with its counts and annotators. */
  @Get("/jobs/{jobId}")
  public AdminJobView job(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String jobId) {
    auth.admin(authorization);
    long id = LabelingErrors.id(jobId, "job");
    return view(LabelingErrors.call(null, () -> store.job(id)));
  }

  /**
   * Assigns annotators to a job ({@code {"annotators": ["ana", "ben"]}}); those assigned already
   * stay. 404 naming every unknown annotator, and then nobody is assigned.
   */
  @Post("/jobs/{jobId}/annotators")
  public AdminJobView assign(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String jobId,
      @Nullable @Body AssignRequest request) {
    auth.admin(authorization);
    long id = LabelingErrors.id(jobId, "job");
    if (request == null || request.annotators() == null || request.annotators().isEmpty()) {
      throw new LabelingApiException(
          HttpStatus.BAD_REQUEST,
          "The body must list annotators: {\"annotators\": [\"ana\", \"ben\"]}",
          "annotators");
    }
    Job job = LabelingErrors.call(null, () -> store.job(id));
    List<String> unknown =
        request.annotators().stream()
            .filter(name -> name == null || store.annotator(name).isEmpty())
            .toList();
    if (!unknown.isEmpty()) {
      throw new LabelingApiException(
          HttpStatus.NOT_FOUND,
          "Unknown annotators "
              + unknown
              + "; create them first (POST /api/labeling/admin/annotators). Nobody was assigned",
          "annotators");
    }
    LabelingErrors.call(
        null,
        () -> {
          store.assign(job.id(), request.annotators());
          return null;
        });
    return view(store.job(job.id()));
  }

  /**
   * Closes a job early through its workflow's {@code close} update: the workflow consolidates the
   * answers it has and the run goes on. 409 when the job or its workflow has already ended.
   */
  @Post("/jobs/{jobId}/close")
  public ClosedView close(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String jobId,
      @Nullable @Body CloseRequest request) {
    auth.admin(authorization);
    long id = LabelingErrors.id(jobId, "job");
    Job job = LabelingErrors.call(null, () -> store.job(id));
    if (job.status() == JobStatus.CLOSED || job.workflowId() == null) {
      throw new LabelingApiException(
          HttpStatus.CONFLICT,
          "Labeling job "
              + id
              + (job.workflowId() == null ? " has no workflow to close" : " is closed already"),
          "job");
    }
    String reason =
        request == null || request.reason() == null || request.reason().isBlank()
            ? "closed by an administrator"
            : request.reason().strip();
    try {
      LabelingStatus status =
          client.newWorkflowStub(LabelingWorkflow.class, job.workflowId()).close(reason);
      return new ClosedView(id, job.workflowId(), status);
    } catch (WorkflowNotFoundException e) {
      throw new LabelingApiException(
          HttpStatus.CONFLICT,
          "The workflow '" + job.workflowId() + "' of labeling job " + id + " has ended",
          "job");
    } catch (WorkflowUpdateException e) {
      throw new LabelingApiException(HttpStatus.CONFLICT, rootMessage(e), "job");
    }
  }

  private Credentials create(String name) {
    try {
      return store.createAnnotator(name);
    } catch (IllegalArgumentException e) {
      throw new LabelingApiException(HttpStatus.BAD_REQUEST, e.getMessage(), "name");
    }
  }

  private AdminJobView view(Job job) {
    return new AdminJobView(
        job.id(),
        job.runId(),
        job.step(),
        job.workflowId(),
        job.status().name(),
        job.classes(),
        job.freeText(),
        job.annotatorsPerItem(),
        job.createdAt(),
        job.closedAt(),
        store.counts(job.id()),
        store.members(job.id()));
  }

  private static AnnotatorToken token(Credentials credentials) {
    return new AnnotatorToken(
        credentials.annotator().name(), credentials.token(), credentials.annotator().createdAt());
  }

  private static JobStatus parseStatus(String status) {
    if (status == null || status.isBlank()) {
      return null;
    }
    try {
      return JobStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new LabelingApiException(
          HttpStatus.BAD_REQUEST,
          "Unknown status '"
              + status
              + "'. Statuses: "
              + Arrays.stream(JobStatus.values())
                  .map(s -> s.name().toLowerCase(Locale.ROOT))
                  .toList(),
          "status");
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage();
    if (t instanceof io.temporal.failure.ApplicationFailure failure) {
      message = failure.getOriginalMessage();
    }
    return message == null ? e.toString() : message;
  }
}
