/**
 * Model training with DJL on the PyTorch engine, and the model bundle every consumer of a trained
 * model loads.
 */
package dev.lifecycle.activities.training;
