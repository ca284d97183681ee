/**
 * Pure computations behind labeling jobs: consolidating annotators' answers by majority or
 * accuracy-weighted vote, annotator accuracy from gold items, inter-annotator agreement, and the
 * active-learning order of unlabeled items by model uncertainty.
 */
package dev.lifecycle.activities.labeling.consensus;
