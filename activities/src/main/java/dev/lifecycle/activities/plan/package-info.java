/**
 * Compiles registered pipelines by name inside an activity, so a run's plan lands in its history.
 */
package dev.lifecycle.activities.plan;
