/**
 * Fashion-MNIST for the image examples: its IDX files read and written in plain Java, a seeded "new
 * camera" domain shift that gives the same classes a different input distribution, and the {@code
 * fashion-pretrain} and {@code fashion-finetune} pipelines that pretrain a base CNN and adapt it.
 */
package dev.lifecycle.examples.fashion;
