package dev.lifecycle.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.Test;

class LifecycleWorkersTest {

  @Test
  void registersSearchAttributesOnceSoThatRunsCanUpsertThem() {
    try (TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LifecycleDataConverter.create())
                        .build())
                .build())) {
      LifecycleWorkers.registerSearchAttributes(env.getOperatorServiceStubs(), env.getNamespace());
      // A second worker starting up finds them there and leaves them alone.
      LifecycleWorkers.registerSearchAttributes(env.getOperatorServiceStubs(), env.getNamespace());
      Worker worker = env.newWorker(Names.TASK_QUEUE);
      LifecycleWorkers.register(worker, new FakeActivities());
      env.start();
      PipelineWorkflow run =
          env.getWorkflowClient()
              .newWorkflowStub(
                  PipelineWorkflow.class,
                  WorkflowOptions.newBuilder().setTaskQueue(Names.TASK_QUEUE).build());
      RunStatus result = run.run(TestPlans.input(TestPlans.twoSources()));

      assertEquals(RunState.SUCCEEDED, result.state());
      var attributes = WorkflowStub.fromTyped(run).describe().getTypedSearchAttributes();
      assertEquals("two-sources", attributes.get(PipelineWorkflowImpl.PIPELINE_KEY));
      assertEquals("SUCCEEDED", attributes.get(PipelineWorkflowImpl.STATE_KEY));
    }
  }
}
