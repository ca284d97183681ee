/** Scoring trained models on held-out data with scikit-learn-compatible metrics. */
package dev.lifecycle.activities.evaluation;
