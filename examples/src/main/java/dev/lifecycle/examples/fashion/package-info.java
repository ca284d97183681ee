/**
 * Fashion-MNIST for the image examples: its IDX files read and written in plain Java, and a seeded
 * "new camera" domain shift that gives the same classes a different input distribution.
 */
package dev.lifecycle.examples.fashion;
