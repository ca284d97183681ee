package dev.lifecycle.worker.labeling;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifecycle.activities.labeling.LabelingRecords.Job;
import dev.lifecycle.activities.labeling.LabelingRecords.JobCounts;
import dev.lifecycle.activities.labeling.LabelingRecords.LabelerProgress;
import dev.lifecycle.workflows.labeling.LabelingStatus;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the labeling API (requests and responses). */
public final class LabelingViews {
  private LabelingViews() {}

  /** {@code POST /api/labeling/sign-in}. */
  public record SignInRequest(String token) {}

  /** Who signed in, and their open jobs. */
  public record SignedIn(String annotator, List<JobView> jobs) {}

  /** {@code POST .../answer}. */
  public record AnswerRequest(String answer) {}

  /** A stored answer. */
  public record AnswerView(long job, long item, String annotator, String answer, Instant at) {}

  /** A skipped item. */
  public record SkipView(long job, long item, String annotator) {}

  /** The next item for a labeler ({@code null} when nothing is left) and their progress. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record NextView(ItemView item, ProgressView progress) {}

  /**
   * A labeler's progress in a job.
   *
   * @param answered items they answered
   * @param skipped items they skipped
   * @param remaining items still open to them (neither answered nor skipped, not yet fully
   *     answered)
   */
  public record ProgressView(long answered, long skipped, long remaining) {
    static ProgressView of(LabelerProgress p) {
      return new ProgressView(p.answered(), p.skipped(), p.remaining());
    }
  }

  /** A job as its labelers see it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record JobView(
      long id,
      String step,
      String status,
      String instructions,
      List<String> classes,
      boolean freeText,
      int annotatorsPerItem,
      ProgressView progress) {
    static JobView of(Job job, LabelerProgress progress) {
      return new JobView(
          job.id(),
          job.step(),
          job.status().name(),
          job.instructions(),
          job.classes(),
          job.freeText(),
          job.annotatorsPerItem(),
          progress == null ? null : ProgressView.of(progress));
    }
  }

  /** {@code POST /api/labeling/admin/annotators}. */
  public record CreateAnnotatorRequest(String name) {}

  /** An annotator and their token, shown this once. */
  public record AnnotatorToken(String name, String token, Instant createdAt) {}

  /** {@code POST /api/labeling/admin/jobs/{id}/annotators}. */
  public record AssignRequest(List<String> annotators) {}

  /** {@code POST /api/labeling/admin/jobs/{id}/close}. */
  public record CloseRequest(String reason) {}

  /**
   * A job as the admin sees it.
   *
   * @param workflowId the job's {@code LabelingWorkflow} id
   * @param counts items, auto-labeled, for people, gold, human-labeled items and answers
   * @param annotators who is assigned
   */
  public record AdminJobView(
      long id,
      String runId,
      String step,
      String workflowId,
      String status,
      List<String> classes,
      boolean freeText,
      int annotatorsPerItem,
      Instant createdAt,
      Instant closedAt,
      JobCounts counts,
      List<String> annotators) {}

  /** What the {@code close} update answered: the workflow's progress as it closed. */
  public record ClosedView(long job, String workflowId, LabelingStatus status) {}
}
