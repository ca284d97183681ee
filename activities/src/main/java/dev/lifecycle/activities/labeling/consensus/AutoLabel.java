package dev.lifecycle.activities.labeling.consensus;

/**
 * An item the model labels without people, with its confidence as provenance.
 *
 * @param index the item's position in the scored batch
 * @param itemId the item
 * @param label the most probable class (the first in schema order if two are equally probable)
 * @param confidence its probability, at or above the auto-label threshold
 */
public record AutoLabel(int index, String itemId, String label, double confidence) {}
