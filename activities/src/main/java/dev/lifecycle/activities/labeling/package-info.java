/**
 * Labeling queues: the store of jobs, items, annotators and answers, and the labeling activities.
 */
package dev.lifecycle.activities.labeling;
