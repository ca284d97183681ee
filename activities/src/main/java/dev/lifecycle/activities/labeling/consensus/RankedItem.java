package dev.lifecycle.activities.labeling.consensus;

/**
 * An item in the order it goes to people.
 *
 * @param index the item's position in the scored batch; breaks ties in the order
 * @param itemId the item
 * @param score its {@link UncertaintyMeasure} score
 */
public record RankedItem(int index, String itemId, double score) {}
