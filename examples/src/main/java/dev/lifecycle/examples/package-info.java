/** Example pipelines the worker registers, with their small data sets under {@code datasets/}. */
package dev.lifecycle.examples;
