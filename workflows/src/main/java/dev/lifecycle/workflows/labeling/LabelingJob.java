package dev.lifecycle.workflows.labeling;

/**
 * A labeling job as prepared from its dataset.
 *
 * @param jobId the job's id in the labeling store
 * @param items rows of the dataset, one item each
 * @param autoLabeled items the model labeled at or above the confidence threshold
 * @param forPeople items queued for people (within the budget)
 * @param gold items with a known answer (from the gold column)
 */
public record LabelingJob(long jobId, long items, long autoLabeled, long forPeople, long gold) {}
