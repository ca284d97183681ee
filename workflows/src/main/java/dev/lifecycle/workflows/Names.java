package dev.lifecycle.workflows;

/** Every name that travels on the wire and that CLI users type. */
public final class Names {
  private Names() {}

  /** The default task queue of workers and runs. */
  public static final String TASK_QUEUE = "lifecycle";

  /** Keyword search attribute: the pipeline's name. */
  public static final String SA_PIPELINE = "LifecyclePipeline";

  /** Keyword search attribute: the run's {@link RunState}. */
  public static final String SA_STATE = "LifecycleState";

  /** The workflow id of the monitor of deployment (endpoint) {@code deployment}. */
  public static String monitorId(String deployment) {
    return "monitor/" + deployment;
  }
}
