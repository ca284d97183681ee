package dev.lifecycle.workflows.labeling;

import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.LabelingActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A labeling store reduced to counters: tests "answer" items by moving the counters, as the REST
 * API would by storing answers, and the workflow sees them only through {@link #progress}.
 */
final class FakeLabelingActivities implements LabelingActivities {
  static final long JOB_ID = 42;

  private final long forPeople;
  private final AtomicLong labeled = new AtomicLong();
  final AtomicInteger prepared = new AtomicInteger();
  final AtomicInteger progressReads = new AtomicInteger();
  final AtomicInteger moreAnnotatorsReads = new AtomicInteger();
  final AtomicInteger reminders = new AtomicInteger();
  final AtomicInteger escalations = new AtomicInteger();
  final AtomicInteger consolidations = new AtomicInteger();

  FakeLabelingActivities(long forPeople) {
    this.forPeople = forPeople;
  }

  /** People label {@code items} more items. */
  void answer(long items) {
    labeled.addAndGet(items);
  }

  @Override
  public LabelingJob prepare(StepTask task) {
    prepared.incrementAndGet();
    return new LabelingJob(JOB_ID, forPeople, 0, forPeople, 0);
  }

  @Override
  public LabelingProgress progress(long jobId) {
    progressReads.incrementAndGet();
    long done = Math.min(forPeople, labeled.get());
    return new LabelingProgress(
        jobId,
        forPeople,
        0,
        forPeople,
        done,
        done,
        done < forPeople ? List.of("ana") : List.of(),
        0);
  }

  @Override
  public LabelingProgress moreAnnotators(StepTask task, long jobId) {
    moreAnnotatorsReads.incrementAndGet();
    return progress(jobId);
  }

  @Override
  public StepResult retrainingSet(StepTask task, long jobId) {
    throw new UnsupportedOperationException("these tests do not retrain");
  }

  @Override
  public LabelingRescore rescore(StepTask task, long jobId, ArtifactRef model) {
    throw new UnsupportedOperationException("these tests do not retrain");
  }

  @Override
  public List<String> remind(long jobId, boolean escalation) {
    (escalation ? escalations : reminders).incrementAndGet();
    return List.of("ana");
  }

  @Override
  public StepResult consolidate(StepTask task, long jobId) {
    consolidations.incrementAndGet();
    long done = Math.min(forPeople, labeled.get());
    return StepResult.builder()
        .metric("labeled", done)
        .metric("human_labeled", done)
        .metric("auto_labeled", 0)
        .metric("agreement", 1.0)
        .summary(done + " items labeled")
        .build();
  }
}
