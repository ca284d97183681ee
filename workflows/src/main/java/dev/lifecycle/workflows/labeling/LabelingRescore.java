package dev.lifecycle.workflows.labeling;

/**
 * What re-scoring a labeling job's open items with a retrained model did. The model auto-labels
 * only when it labels the held-out human labels (never trained on) at least as accurately as the
 * step's confidence threshold; otherwise it only re-orders the items.
 *
 * @param scored items for people that nobody had answered or taken, and that the model re-scored
 * @param autoLabeled of those, the ones it was now sure of: labeled automatically, no longer for
 *     people
 * @param heldOut human labels held out of training that measured the model
 * @param heldOutAccuracy the model's accuracy on them, or {@code null} when there were none
 */
public record LabelingRescore(
    long scored, long autoLabeled, long heldOut, Double heldOutAccuracy) {}
