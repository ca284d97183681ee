package dev.lifecycle.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lifecycle.dsl.Pipeline;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays committed histories of {@link PipelineWorkflowImpl} against the current code, so a change
 * that alters the commands a recorded run issued fails the build (guard such changes with {@code
 * Workflow.getVersion}).
 *
 * <p>The histories under {@code src/test/resources/histories/} are recorded by {@link
 * #recordsHistories()}; after an intended, versioned change, regenerate them with
 *
 * <pre>
 * mvn -B -o -pl workflows test -Dtest=PipelineWorkflowReplayTest -Dlifecycle.recordHistories=true
 * </pre>
 *
 * and commit the new files next to the old ones (old histories must still replay).
 */
class PipelineWorkflowReplayTest {
  private static final Path HISTORIES = Path.of("src/test/resources/histories");
  private static final String QUEUE = "replay";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "condition-then",
        "otherwise-fails",
        "approval",
        "champion-then",
        "criteria-then",
        "version-gate"
      })
  void replaysRecordedHistory(String name) throws Exception {
    try (TestWorkflowEnvironment env = environment()) {
      Replays.assertReplays(env, QUEUE, "histories/" + name + ".json");
    }
  }

  @Test
  void rejectsAnImplementationThatIssuesOtherCommands() {
    try (TestWorkflowEnvironment env = environment()) {
      Replays.assertRejects(
          env, QUEUE, "histories/condition-then.json", IncompatiblePipelineWorkflow.class);
    }
  }

  /**
   * Regenerates the committed histories; runs only with {@code -Dlifecycle.recordHistories=true}.
   */
  @Test
  @EnabledIfSystemProperty(named = "lifecycle.recordHistories", matches = "true")
  void recordsHistories() throws Exception {
    try (TestWorkflowEnvironment env = environment()) {
      Map<String, Supplier<Pipeline>> registered = Map.of("abalone", TestPlans::abalone);
      FakeActivities fake = new FakeActivities().rmse(Math.PI - 0.8);
      Worker worker = env.newWorker(QUEUE);
      LifecycleWorkers.register(worker, fake, new FakePlanActivities(registered));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      Files.createDirectories(HISTORIES);

      PipelineWorkflow then = stub(client, "condition-then");
      then.run(TestPlans.json("{\"pipeline\":\"abalone\",\"parameters\":{\"rmseThreshold\":2.5}}"));
      write(env, then, "condition-then");

      PipelineWorkflow otherwise = stub(client, "otherwise-fails");
      assertThrows(
          WorkflowFailedException.class,
          () -> otherwise.run(TestPlans.input(TestPlans.abalone(), Map.of("rmseThreshold", 2.0))));
      write(env, otherwise, "otherwise-fails");

      PipelineWorkflow gated = stub(client, "approval");
      WorkflowClient.start(gated::run, TestPlans.input(TestPlans.gated(null)));
      Runs.awaitStepState(gated, "approve-split", StepState.WAITING);
      gated.approve(new ApprovalDecision("approve-split", true, "ana", "looks right"));
      assertEquals(
          RunState.SUCCEEDED, WorkflowStub.fromTyped(gated).getResult(RunStatus.class).state());
      write(env, gated, "approval");
    }
  }

  /**
   * Records the histories of champion/challenger, success-criteria and version-gate runs without
   * touching the older files: {@code -Dlifecycle.recordHistories=new} (or {@code true}).
   */
  @Test
  @EnabledIfSystemProperty(named = "lifecycle.recordHistories", matches = "true|new")
  void recordsCriteriaAndRegistryHistories() throws Exception {
    try (TestWorkflowEnvironment env = environment()) {
      FakeActivities fake = new FakeActivities().rmse(2.13);
      fake.registry().register("abalone-age", Map.of("rmse", 2.5));
      fake.registry().promote("abalone-age", 1);
      Worker worker = env.newWorker(QUEUE);
      LifecycleWorkers.register(worker, fake, new FakePlanActivities(Map.of()));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      Files.createDirectories(HISTORIES);

      PipelineWorkflow champion = stub(client, "champion-then");
      champion.run(TestPlans.input(PipelineWorkflowImplCriteriaTest.champion()));
      write(env, champion, "champion-then");

      PipelineWorkflow criteria = stub(client, "criteria-then");
      criteria.run(TestPlans.input(PipelineWorkflowImplCriteriaTest.judged()));
      write(env, criteria, "criteria-then");

      PipelineWorkflow gate = stub(client, "version-gate");
      WorkflowClient.start(
          gate::run, TestPlans.input(PipelineWorkflowImplVersionApprovalTest.signedOff()));
      Runs.awaitStepState(gate, "sign-off", StepState.WAITING);
      gate.approve(new ApprovalDecision(null, true, "ana", "looks right"));
      assertEquals(
          RunState.SUCCEEDED, WorkflowStub.fromTyped(gate).getResult(RunStatus.class).state());
      write(env, gate, "version-gate");
    }
  }

  private static TestWorkflowEnvironment environment() {
    TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LifecycleDataConverter.create())
                        .build())
                .build());
    env.registerSearchAttribute(Names.SA_PIPELINE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    env.registerSearchAttribute(Names.SA_STATE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    return env;
  }

  private static PipelineWorkflow stub(WorkflowClient client, String id) {
    return client.newWorkflowStub(
        PipelineWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
  }

  private static void write(TestWorkflowEnvironment env, PipelineWorkflow run, String name)
      throws java.io.IOException {
    String json =
        env.getWorkflowExecutionHistory(WorkflowStub.fromTyped(run).getExecution()).toJson(true);
    Files.writeString(HISTORIES.resolve(name + ".json"), json + "\n");
  }
}
