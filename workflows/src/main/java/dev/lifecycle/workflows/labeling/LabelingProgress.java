package dev.lifecycle.workflows.labeling;

import java.util.List;

/**
 * Where a labeling job stands, as counted in the labeling store.
 *
 * @param jobId the job's id in the labeling store
 * @param items all items of the job
 * @param autoLabeled items the model labeled
 * @param forPeople items queued for people
 * @param humanLabeled items queued for people that have all the answers they need
 * @param answers answers given so far (gold items included)
 * @param waitingOn annotators who still have items to answer, by name, sorted
 * @param moreAnnotators items whose annotators disagreed and that were given more annotators
 */
public record LabelingProgress(
    long jobId,
    long items,
    long autoLabeled,
    long forPeople,
    long humanLabeled,
    long answers,
    List<String> waitingOn,
    long moreAnnotators) {
  public LabelingProgress {
    waitingOn = waitingOn == null ? List.of() : List.copyOf(waitingOn);
  }
}
