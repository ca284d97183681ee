package dev.lifecycle.bench;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The anchor of {@link InterpreterBench}: the same activity calls, written as plain Java. */
@WorkflowInterface
public interface HandWrittenWorkflow {
  /** Calls the ingest activity {@code steps} times, each after the previous; returns the count. */
  @WorkflowMethod(name = "HandWrittenSequence")
  int run(int steps);
}
