package dev.lifecycle.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.lifecycle.dsl.Pipeline;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverterException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the interpreter accepts as a run's input, and how it refuses the rest. */
class PipelineWorkflowImplInputTest {

  @RegisterExtension static final TestWorkflowExtension testWorkflow = Runs.extension();

  private static final Map<String, Supplier<Pipeline>> REGISTERED =
      Map.of("abalone", TestPlans::abalone);

  @Test
  void runsARegisteredPipelineByName(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakePlanActivities compiler = new FakePlanActivities(REGISTERED);
    worker.registerActivitiesImplementations(new FakeActivities(), compiler);
    env.start();

    RunStatus result =
        Runs.stub(client, worker)
            .run(TestPlans.json("{\"pipeline\":\"abalone\",\"parameters\":{\"epochs\":\"5\"}}"));

    assertEquals(RunState.SUCCEEDED, result.state());
    assertEquals(5, result.parameters().get("epochs"));
    assertEquals(1, compiler.calls.get());
  }

  @Test
  void runsABarePlanAsInputFileSendsIt(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();

    RunStatus result = Runs.stub(client, worker).run(TestPlans.tree(TestPlans.abalone().compile()));

    assertEquals(RunState.SUCCEEDED, result.state());
    assertEquals(2.5, result.parameters().get("rmseThreshold"));
  }

  @Test
  void completesARunStartedWithRawJsonPlainBytesAsTheCliSendsThem(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(
        new FakeActivities(), new FakePlanActivities(REGISTERED));
    env.start();

    String id =
        startRaw(
            env,
            worker,
            "{\"pipeline\":\"abalone\",\"parameters\":{\"rmseThreshold\":2.5}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));

    RunStatus result = client.newUntypedWorkflowStub(id).getResult(RunStatus.class);
    assertEquals(RunState.SUCCEEDED, result.state());
    assertEquals(StepState.SUCCEEDED, result.step("register").state());
  }

  @Test
  void failsAtOnceWhenTheInputBytesAreNotJson(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();

    String id =
        startRaw(
            env,
            worker,
            "{\"pipeline\": abalone".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    WorkflowStub run = client.newUntypedWorkflowStub(id);
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () -> run.getResult(10, java.util.concurrent.TimeUnit.SECONDS, RunStatus.class));
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(DataConverterException.class.getName(), cause.getType());
    assertTrue(cause.getOriginalMessage().contains("line: 1, column: 21"), cause.getMessage());
    assertEquals(
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, run.describe().getStatus());
    assertEquals(0, workflowTaskFailures(env, run));
  }

  @Test
  void failsAtOnceNamingAnUnknownField(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();

    PipelineWorkflow run = Runs.stub(client, worker);
    long started = System.nanoTime();
    ApplicationFailure failure =
        Runs.failure(
            run, TestPlans.json("{\"pipeline\":\"abalone\",\"paramaters\":{\"epochs\":5}}"));

    assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 10, "failed at once");
    assertEquals(FailureTypes.INVALID_INPUT, failure.getType());
    assertTrue(failure.getOriginalMessage().contains("Unknown field 'paramaters'"));
    assertTrue(failure.isNonRetryable());
    WorkflowStub untyped = WorkflowStub.fromTyped(run);
    assertEquals(
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, untyped.describe().getStatus());
    assertEquals(0, workflowTaskFailures(env, untyped));
    assertEquals(RunState.FAILED, run.status().state());
    assertEquals("FAILED", Runs.searchAttribute(run, Names.SA_STATE));
  }

  @Test
  void refusesInputsOfTheWrongShape(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();
    JsonNode plan = TestPlans.tree(TestPlans.abalone().build());
    ObjectNode both = TestPlans.json("{\"pipeline\":\"abalone\"}").deepCopy();
    both.set("plan", plan);

    List<Object[]> cases =
        List.of(
            new Object[] {TestPlans.json("[\"abalone\"]"), "must be a JSON object"},
            new Object[] {TestPlans.json("\"abalone\""), "not a string"},
            new Object[] {TestPlans.json("{}"), "names no pipeline"},
            new Object[] {both, "sets both 'pipeline' and 'plan'"},
            new Object[] {TestPlans.json("{\"pipeline\":42}"), "Field 'pipeline'"},
            new Object[] {
              TestPlans.json("{\"pipeline\":\"abalone\",\"parameters\":[1]}"),
              "Field 'parameters' must be an object"
            });
    for (Object[] c : cases) {
      ApplicationFailure failure = Runs.failure(Runs.stub(client, worker), (JsonNode) c[0]);
      assertEquals(FailureTypes.INVALID_INPUT, failure.getType(), c[0].toString());
      assertTrue(
          failure.getOriginalMessage().contains((String) c[1]),
          c[0] + " -> " + failure.getOriginalMessage());
    }
  }

  @Test
  void failsNamingAnUnknownParameter(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();

    ApplicationFailure failure =
        Runs.failure(
            Runs.stub(client, worker),
            TestPlans.input(TestPlans.abalone(), Map.of("rmseTreshold", 2.0)));

    assertEquals(FailureTypes.INVALID_PARAMETER, failure.getType());
    assertTrue(
        failure.getOriginalMessage().contains("'rmseTreshold'"), failure.getOriginalMessage());
  }

  @Test
  void failsNamingAParameterOfTheWrongType(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();

    ApplicationFailure wrongType =
        Runs.failure(
            Runs.stub(client, worker),
            TestPlans.input(TestPlans.abalone(), Map.of("rmseThreshold", "low")));
    ApplicationFailure notScalar =
        Runs.failure(
            Runs.stub(client, worker),
            TestPlans.json("{\"pipeline\":\"abalone\",\"parameters\":{\"epochs\":{\"n\":5}}}"));

    assertEquals(FailureTypes.INVALID_PARAMETER, wrongType.getType());
    assertTrue(
        wrongType.getOriginalMessage().contains("'rmseThreshold'"), wrongType.getOriginalMessage());
    assertEquals(FailureTypes.INVALID_PARAMETER, notScalar.getType());
    assertTrue(notScalar.getOriginalMessage().contains("Parameter 'epochs' must be a string"));
  }

  @Test
  void failsNamingAnUnknownPipeline(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakePlanActivities compiler = new FakePlanActivities(REGISTERED);
    worker.registerActivitiesImplementations(new FakeActivities(), compiler);
    env.start();

    PipelineWorkflow run = Runs.stub(client, worker);
    ApplicationFailure failure = Runs.failure(run, TestPlans.json("{\"pipeline\":\"abalon\"}"));

    assertEquals(FailureTypes.UNKNOWN_PIPELINE, failure.getType());
    assertTrue(failure.getOriginalMessage().contains("'abalon'"), failure.getOriginalMessage());
    assertEquals(1, compiler.calls.get(), "an unknown pipeline is not retried");
    assertEquals("abalon", Runs.searchAttribute(run, Names.SA_PIPELINE));
  }

  @Test
  void failsNamingTheFieldOfAPlanThatDoesNotParse(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();
    ObjectNode plan = TestPlans.tree(TestPlans.abalone().build()).deepCopy();
    ((ObjectNode) plan.withArray("steps").get(3)).put("epochz", 3);
    ObjectNode wrapped = TestPlans.json("{}").deepCopy();
    wrapped.set("plan", plan);

    ApplicationFailure failure = Runs.failure(Runs.stub(client, worker), wrapped);

    assertEquals(FailureTypes.INVALID_PLAN, failure.getType());
    assertTrue(failure.getOriginalMessage().contains("'epochz'"), failure.getOriginalMessage());
    assertTrue(
        failure.getOriginalMessage().contains("$.plan.steps[3]"), failure.getOriginalMessage());
  }

  @Test
  void failsNamingTheStepOfAPlanThatDoesNotCompile(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();
    Pipeline broken = Pipeline.named("broken");
    var raw = broken.ingest("ingest").csv("classpath:a.csv").dataset();
    broken.split("split", raw).ratios(0.5, 0.3, 0.1).seed(1);

    ApplicationFailure failure = Runs.failure(Runs.stub(client, worker), TestPlans.input(broken));

    assertEquals(FailureTypes.INVALID_PLAN, failure.getType());
    assertTrue(failure.getOriginalMessage().contains("'split'"), failure.getOriginalMessage());
  }

  /** Starts a run the way {@code temporal workflow start --input} does: raw json/plain bytes. */
  private static String startRaw(TestWorkflowEnvironment env, Worker worker, byte[] json) {
    String id = "cli-" + UUID.randomUUID();
    env.getWorkflowServiceStubs()
        .blockingStub()
        .startWorkflowExecution(
            StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(env.getNamespace())
                .setWorkflowId(id)
                .setWorkflowType(WorkflowType.newBuilder().setName(PipelineWorkflow.TYPE))
                .setTaskQueue(TaskQueue.newBuilder().setName(worker.getTaskQueue()))
                .setInput(
                    Payloads.newBuilder()
                        .addPayloads(
                            Payload.newBuilder()
                                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                                .setData(ByteString.copyFrom(json))))
                .setIdentity("temporal-cli")
                .setRequestId(UUID.randomUUID().toString())
                .build());
    return id;
  }

  private static long workflowTaskFailures(TestWorkflowEnvironment env, WorkflowStub run) {
    return env.getWorkflowExecutionHistory(run.getExecution()).getHistory().getEventsList().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
        .count();
  }
}
