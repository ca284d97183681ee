package dev.lifecycle.activities.labeling.consensus;

/** What a consolidated item's label is when two or more classes carry the same top vote weight. */
public enum TiePolicy {
  /**
   * The tied class that comes first in the {@link LabelClasses}: deterministic, and still reported
   * as a tie so the item can get more annotators.
   */
  SCHEMA_ORDER,
  /** No label until more answers break the tie. */
  UNRESOLVED
}
