package dev.lifecycle.workflows;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

/** Shared set-up and helpers of the interpreter's tests. */
final class Runs {
  private Runs() {}

  /** The test environment every interpreter test uses: Lifecycle's converter, its attributes. */
  static TestWorkflowExtension extension() {
    return TestWorkflowExtension.newBuilder()
        .registerWorkflowImplementationTypes(
            PipelineWorkflowImpl.implementationOptions(), PipelineWorkflowImpl.class)
        .setWorkflowClientOptions(
            WorkflowClientOptions.newBuilder()
                .setDataConverter(LifecycleDataConverter.create())
                .build())
        .registerSearchAttribute(Names.SA_PIPELINE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
        .registerSearchAttribute(Names.SA_STATE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
        .setDoNotStart(true)
        .build();
  }

  static PipelineWorkflow stub(WorkflowClient client, Worker worker) {
    return client.newWorkflowStub(
        PipelineWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(worker.getTaskQueue())
            .setWorkflowId("run-" + UUID.randomUUID())
            .setWorkflowRunTimeout(Duration.ofDays(7))
            .build());
  }

  /** Starts a run and returns its stub without waiting. */
  static PipelineWorkflow start(WorkflowClient client, Worker worker, JsonNode input) {
    PipelineWorkflow run = stub(client, worker);
    WorkflowClient.start(run::run, input);
    return run;
  }

  /** The failure a run ended with. */
  static io.temporal.failure.ApplicationFailure failure(PipelineWorkflow run, JsonNode input) {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> run.run(input));
    return assertInstanceOf(io.temporal.failure.ApplicationFailure.class, e.getCause());
  }

  /** Polls the status query until {@code condition} holds (real time, at most 20 s). */
  static RunStatus awaitStatus(PipelineWorkflow run, Predicate<RunStatus> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    RunStatus status = run.status();
    while (!condition.test(status)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Status never reached the expected state: " + status);
      }
      Thread.sleep(20);
      status = run.status();
    }
    return status;
  }

  static RunStatus awaitStepState(PipelineWorkflow run, String step, StepState state)
      throws InterruptedException {
    return awaitStatus(run, s -> s.step(step) != null && s.step(step).state() == state);
  }

  /** How many events of {@code type} the run's history holds. */
  static long events(TestWorkflowEnvironment env, PipelineWorkflow run, EventType type) {
    return env
        .getWorkflowExecutionHistory(WorkflowStub.fromTyped(run).getExecution())
        .getHistory()
        .getEventsList()
        .stream()
        .filter(e -> e.getEventType() == type)
        .count();
  }

  static String searchAttribute(PipelineWorkflow run, String name) {
    return WorkflowStub.fromTyped(run)
        .describe()
        .getTypedSearchAttributes()
        .get(io.temporal.common.SearchAttributeKey.forKeyword(name));
  }
}
