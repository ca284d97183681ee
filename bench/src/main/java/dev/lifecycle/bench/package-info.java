/** Benchmarks that measure Lifecycle against named anchors, side by side in one run. */
package dev.lifecycle.bench;
