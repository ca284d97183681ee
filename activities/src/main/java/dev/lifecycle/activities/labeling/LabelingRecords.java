package dev.lifecycle.activities.labeling;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The typed rows of the {@link LabelingStore}. */
public final class LabelingRecords {
  private LabelingRecords() {}

  /** The status of a labeling job. */
  public enum JobStatus {
    /** Items are being created; labelers do not see it yet. */
    PREPARING,
    /** Labelers answer. */
    OPEN,
    /** No more answers are accepted. */
    CLOSED
  }

  /** Where an item goes. */
  public enum Route {
    /** To annotators, in priority order. */
    PEOPLE,
    /** Labeled by the model. */
    AUTO,
    /** Beyond the budget: nobody labels it. */
    OVER_BUDGET
  }

  /** Where a consolidated label comes from. */
  public enum Source {
    AUTO,
    HUMAN,
    GOLD,
    NONE
  }

  /**
   * A job to create, one per run and label step.
   *
   * @param datasetUri the dataset whose rows are the items (payloads are read from it by row)
   */
  public record JobSpec(
      String runId,
      String step,
      String workflowId,
      String datasetUri,
      String datasetSha256,
      List<String> classes,
      boolean freeText,
      String instructions,
      int annotatorsPerItem) {
    public JobSpec {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(datasetUri, "datasetUri");
      Objects.requireNonNull(datasetSha256, "datasetSha256");
      classes = List.copyOf(classes);
    }
  }

  /** A stored job. */
  public record Job(
      long id,
      String runId,
      String step,
      String workflowId,
      String datasetUri,
      String datasetSha256,
      List<String> classes,
      boolean freeText,
      String instructions,
      int annotatorsPerItem,
      JobStatus status,
      Instant createdAt,
      Instant closedAt) {
    public Job {
      classes = List.copyOf(classes);
    }

    /** Whether {@code answer} fits the job's label schema. */
    public boolean allows(String answer) {
      return answer != null && !answer.isBlank() && (freeText || classes.contains(answer));
    }
  }

  /**
   * An item of a job.
   *
   * @param key the row index in the job's dataset
   * @param priority the queue order for people, lowest first
   * @param modelLabel the model's most probable class, or {@code null} without a model
   * @param modelConfidence its probability, or {@code null}
   * @param uncertainty the uncertainty score that ordered it, or {@code null}
   * @param goldLabel the known answer of a gold item, or {@code null}
   */
  public record Item(
      long key,
      Route route,
      long priority,
      String modelLabel,
      Double modelConfidence,
      Double uncertainty,
      String goldLabel) {
    public Item {
      Objects.requireNonNull(route, "route");
    }
  }

  /** An annotator; the token is never stored, only its hash. */
  public record Annotator(long id, String name, Instant createdAt) {}

  /** An annotator just created or given a new token: the only time the token is seen. */
  public record Credentials(Annotator annotator, String token) {}

  /** An answer as stored. */
  public record StoredAnswer(
      long id, long jobId, long itemKey, String annotator, String answer, Instant answeredAt) {}

  /**
   * The outcome of a submission.
   *
   * @param answer the stored answer
   * @param created false when the same answer was stored before (an idempotent re-submission)
   */
  public record Submission(StoredAnswer answer, boolean created) {}

  /**
   * What a labeler sees next.
   *
   * @param item the item (its payload is row {@code item.key()} of the job's dataset)
   * @param job the job
   */
  public record NextItem(Job job, Item item) {}

  /**
   * A job's counts.
   *
   * @param humanLabeled items for people that have all the answers they need
   */
  public record JobCounts(
      long items, long autoLabeled, long forPeople, long gold, long humanLabeled, long answers) {}

  /** One labeler's progress in a job. */
  public record LabelerProgress(long answered, long skipped, long remaining) {}

  /**
   * An item's consolidated label with its provenance.
   *
   * @param label the label, or {@code null} when nobody labeled it
   * @param annotators who answered, in answer order
   * @param agreement the share of answer weight on the label, or {@code null} when not by people
   * @param confidence the model's confidence for an auto label, or {@code null}
   */
  public record ConsolidatedLabel(
      long itemKey,
      String label,
      Source source,
      List<String> annotators,
      Double agreement,
      Double confidence) {
    public ConsolidatedLabel {
      Objects.requireNonNull(source, "source");
      annotators = List.copyOf(annotators);
    }
  }
}
