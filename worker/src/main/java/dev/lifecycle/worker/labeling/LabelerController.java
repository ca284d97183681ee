package dev.lifecycle.worker.labeling;

import dev.lifecycle.activities.labeling.LabelingException;
import dev.lifecycle.activities.labeling.LabelingException.Reason;
import dev.lifecycle.activities.labeling.LabelingRecords.Annotator;
import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.Job;
import dev.lifecycle.activities.labeling.LabelingRecords.NextItem;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.labeling.LabelingRecords.StoredAnswer;
import dev.lifecycle.activities.labeling.LabelingRecords.Submission;
import dev.lifecycle.activities.labeling.LabelingStore;
import dev.lifecycle.worker.labeling.LabelingViews.AnswerRequest;
import dev.lifecycle.worker.labeling.LabelingViews.AnswerView;
import dev.lifecycle.worker.labeling.LabelingViews.JobView;
import dev.lifecycle.worker.labeling.LabelingViews.NextView;
import dev.lifecycle.worker.labeling.LabelingViews.ProgressView;
import dev.lifecycle.worker.labeling.LabelingViews.SignInRequest;
import dev.lifecycle.worker.labeling.LabelingViews.SignedIn;
import dev.lifecycle.worker.labeling.LabelingViews.SkipView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The labelers' API: sign in with the annotator token, list one's jobs, take the next item (one at
 * a time, in the job's queue order: uncertainty order when a model ordered it), answer or skip it,
 * see one's progress. Every call but sign-in needs {@code Authorization: Bearer <token>}: no or a
 * bad token is 401, a job one is not assigned to 403. See docs/labeling-api.md.
 */
@Controller("/api/labeling")
@ExecuteOn(TaskExecutors.BLOCKING)
public class LabelerController {
  private final LabelingStore store;
  private final LabelingAuth auth;
  private final ItemPayloads payloads;
  private final MilestoneSignals signals;
  private final LabelingApiSettings settings;

  /** Jobs' fixed parts (workflow id, answers per item) by id, so an answer reads no job row. */
  private final Map<Long, Job> jobs = new ConcurrentHashMap<>();

  LabelerController(
      LabelingStore store,
      LabelingAuth auth,
      ItemPayloads payloads,
      MilestoneSignals signals,
      LabelingApiSettings settings) {
    this.store = store;
    this.auth = auth;
    this.payloads = payloads;
    this.signals = signals;
    this.settings = settings;
  }

  /** Checks a token: 200 with the annotator's name and open jobs, 401 for a bad token. */
  @Post("/sign-in")
  public SignedIn signIn(@Nullable @Body SignInRequest request) {
    Annotator who = auth.signIn(request == null ? null : request.token());
    return new SignedIn(who.name(), jobsOf(who));
  }

  /** The open jobs the caller is assigned to, with their progress in each. */
  @Get("/jobs")
  public List<JobView> jobs(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
    return jobsOf(auth.labeler(authorization));
  }

  /** One job the caller is assigned to, with their progress. */
  @Get("/jobs/{jobId}")
  public JobView job(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String jobId) {
    Annotator who = auth.labeler(authorization);
    Job job = member(who, LabelingErrors.id(jobId, "job"));
    return JobView.of(job, LabelingErrors.call(null, () -> store.progressOf(job.id(), who.id())));
  }

  /** The caller's progress in the job. */
  @Get("/jobs/{jobId}/progress")
  public ProgressView progress(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String jobId) {
    Annotator who = auth.labeler(authorization);
    long id = LabelingErrors.id(jobId, "job");
    return ProgressView.of(LabelingErrors.call(null, () -> store.progressOf(id, who.id())));
  }

  /**
   * The next item for the caller, leased to them for {@code lifecycle.labeling.lease}; {@code
   * "item": null} when nothing is left for them.
   */
  @Get("/jobs/{jobId}/next")
  public NextView next(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String jobId) {
    Annotator who = auth.labeler(authorization);
    long id = LabelingErrors.id(jobId, "job");
    Optional<NextItem> next =
        LabelingErrors.call(null, () -> store.next(id, who.id(), settings.lease()));
    ProgressView progress = ProgressView.of(store.progressOf(id, who.id()));
    if (next.isEmpty()) {
      signals.queueEmpty(fixed(id));
      return new NextView(null, progress);
    }
    return new NextView(payloads.view(next.get().job(), next.get().item().key()), progress);
  }

  /** Item {@code key}'s image as PNG, for labelers of the job only. */
  @Get("/jobs/{jobId}/items/{key}/image")
  @Produces(MediaType.IMAGE_PNG)
  public HttpResponse<byte[]> image(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String jobId,
      @PathVariable String key) {
    Annotator who = auth.labeler(authorization);
    Job job = member(who, LabelingErrors.id(jobId, "job"));
    long itemKey = LabelingErrors.id(key, "item");
    Optional<Item> item = store.item(job.id(), itemKey);
    if (item.isEmpty() || item.get().route() != Route.PEOPLE) {
      throw new LabelingApiException(
          HttpStatus.NOT_FOUND,
          "Labeling job " + job.id() + " has no item " + itemKey + " for people",
          "item",
          itemKey,
          null);
    }
    return HttpResponse.ok(payloads.png(job, itemKey))
        .contentType(MediaType.IMAGE_PNG_TYPE)
        .header(HttpHeaders.CACHE_CONTROL, "private, max-age=3600");
  }

  /**
   * Stores the caller's answer to item {@code key}: 201 with the stored answer. 422 for an answer
   * outside the label schema, 404 for an item the job does not give people, 403 when not assigned,
   * 409 when they answered the item before (the body's {@code stored} holds that answer) or the job
   * is closed. Nothing is stored on a refusal.
   */
  @Post("/jobs/{jobId}/items/{key}/answer")
  public HttpResponse<AnswerView> answer(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String jobId,
      @PathVariable String key,
      @Nullable @Body AnswerRequest request) {
    Annotator who = auth.labeler(authorization);
    long id = LabelingErrors.id(jobId, "job");
    long itemKey = LabelingErrors.id(key, "item");
    if (request == null || request.answer() == null) {
      throw new LabelingApiException(
          HttpStatus.BAD_REQUEST,
          "The body must hold the answer: {\"answer\": \"<one of the job's classes>\"}",
          "answer",
          itemKey,
          null);
    }
    Submission submission;
    try {
      submission = store.submit(id, itemKey, who.id(), request.answer());
    } catch (LabelingException e) {
      if (e.reason() == Reason.CONFLICTING_ANSWER) {
        throw answeredBefore(who, id, itemKey);
      }
      throw LabelingErrors.of(e, itemKey);
    }
    if (!submission.created()) {
      throw answeredBefore(who, id, itemKey);
    }
    Job job = fixed(id);
    if (store.justCompleted(job, itemKey)) {
      signals.itemCompleted(job);
    }
    return HttpResponse.created(
        new AnswerView(
            id,
            itemKey,
            who.name(),
            submission.answer().answer(),
            submission.answer().answeredAt()));
  }

  /** The caller skips item {@code key}: it is not shown to them again. */
  @Post("/jobs/{jobId}/items/{key}/skip")
  public SkipView skip(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String jobId,
      @PathVariable String key) {
    Annotator who = auth.labeler(authorization);
    long id = LabelingErrors.id(jobId, "job");
    long itemKey = LabelingErrors.id(key, "item");
    LabelingErrors.call(
        itemKey,
        () -> {
          store.skip(id, itemKey, who.id());
          return null;
        });
    return new SkipView(id, itemKey, who.name());
  }

  /** 409 for a second answer, with the answer stored first. */
  private LabelingApiException answeredBefore(Annotator who, long jobId, long itemKey) {
    String stored = store.answerOf(jobId, itemKey, who.id()).map(StoredAnswer::answer).orElse(null);
    return new LabelingApiException(
        HttpStatus.CONFLICT,
        who.name()
            + " answered item "
            + itemKey
            + " of job "
            + jobId
            + " already (with '"
            + stored
            + "'); an item is answered once and the answer is kept",
        "item",
        itemKey,
        stored);
  }

  private List<JobView> jobsOf(Annotator who) {
    return store.jobsOf(who.id()).stream()
        .map(job -> JobView.of(job, store.progressOf(job.id(), who.id())))
        .toList();
  }

  /** The job, when the caller is assigned to it: 404 for an unknown job, 403 otherwise. */
  private Job member(Annotator who, long jobId) {
    Job job = LabelingErrors.call(null, () -> store.job(jobId));
    if (!store.isMember(jobId, who.id())) {
      throw new LabelingApiException(
          HttpStatus.FORBIDDEN,
          "Annotator '" + who.name() + "' is not assigned to labeling job " + jobId,
          "job");
    }
    return job;
  }

  private Job fixed(long jobId) {
    return jobs.computeIfAbsent(jobId, id -> LabelingErrors.call(null, () -> store.job(id)));
  }
}
