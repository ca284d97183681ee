package dev.lifecycle.dsl;

/** The steps of one branch of a condition; declared like a pipeline's. */
public final class Branch extends StepContainer {
  Branch() {}
}
