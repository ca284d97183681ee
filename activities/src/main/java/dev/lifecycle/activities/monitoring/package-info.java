/**
 * Model monitoring: drift statistics matching SciPy, baselines (statistics and editable constraints
 * computed from training data) and the checks that compare a window of captured data against them.
 */
package dev.lifecycle.activities.monitoring;
