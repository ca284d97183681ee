package dev.lifecycle.workflows;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;

/** Replay checks shared by the workflows' replay tests. */
public final class Replays {
  private Replays() {}

  /** Replays the committed history {@code resource} against every Lifecycle workflow. */
  public static void assertReplays(TestWorkflowEnvironment env, String queue, String resource)
      throws Exception {
    Worker worker = env.newWorker(queue);
    LifecycleWorkers.registerWorkflows(worker);
    WorkflowReplayer.replayWorkflowExecutionFromResource(resource, worker);
  }

  /**
   * Asserts that {@code incompatible}, registered under the recorded workflow type, fails to replay
   * {@code resource}. The SDK reports it as a RuntimeException naming NonDeterministicException
   * (TMPRL1100), without a cause.
   */
  public static void assertRejects(
      TestWorkflowEnvironment env, String queue, String resource, Class<?> incompatible) {
    Worker worker = env.newWorker(queue);
    worker.registerWorkflowImplementationTypes(incompatible);
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> WorkflowReplayer.replayWorkflowExecutionFromResource(resource, worker));
    String message = String.valueOf(e.getMessage());
    assertTrue(
        message.contains("NonDeterministicException") || message.contains("TMPRL1100"), message);
  }
}
