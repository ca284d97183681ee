/** Inference with trained models: batch transform of whole datasets. */
package dev.lifecycle.activities.deployment;
