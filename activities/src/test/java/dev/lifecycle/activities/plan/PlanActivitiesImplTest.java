package dev.lifecycle.activities.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.activities.CompiledRun;
import dev.lifecycle.workflows.activities.PlanActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlanActivitiesImplTest {

  private TestActivityEnvironment env;
  private PlanActivities activities;

  @BeforeEach
  void start() {
    // The production converter, so the plan makes the same JSON round trip as in a real run.
    env =
        TestActivityEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LifecycleDataConverter.create())
                        .build())
                .build());
    env.registerActivitiesImplementations(
        new PlanActivitiesImpl(PipelineRegistry.of(new ChurnPipeline(), new BrokenPipeline())));
    activities =
        env.newActivityStub(
            PlanActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private static ApplicationFailure failureOf(Runnable call) {
    ActivityFailure failure = assertThrows(ActivityFailure.class, call::run);
    return assertInstanceOf(ApplicationFailure.class, failure.getCause());
  }

  @Test
  void returnsTheCompiledPlanWithBoundParametersAndHash() {
    CompiledRun run =
        activities.compile("churn", Map.of("source", "data.csv", "threshold", "0.25"));
    assertEquals(new ChurnPipeline().define().compile(), run.plan());
    assertEquals(Map.of("threshold", 0.25, "source", "data.csv"), run.parameters());
    assertEquals(PlanJson.hash(run.plan()), run.planHash());
    assertEquals(64, run.planHash().length());
  }

  @Test
  void failsAnUnknownPipelineWithoutRetry() {
    ApplicationFailure failure = failureOf(() -> activities.compile("chrun", Map.of()));
    assertEquals(FailureTypes.UNKNOWN_PIPELINE, failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains("did you mean 'churn'?"), failure::getMessage);
  }

  @Test
  void failsBadParametersAsInvalidParameter() {
    ApplicationFailure failure =
        failureOf(() -> activities.compile("churn", Map.of("threshold", "high")));
    assertEquals(FailureTypes.INVALID_PARAMETER, failure.getType());
    assertTrue(failure.isNonRetryable());
    String message = failure.getOriginalMessage();
    assertTrue(message.contains("'threshold'"), message);
    assertTrue(message.contains("'source'"), message);
  }

  @Test
  void failsABrokenDefinitionAsInvalidPlan() {
    ApplicationFailure failure = failureOf(() -> activities.compile("broken", null));
    assertEquals(FailureTypes.INVALID_PLAN, failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains("Step 'split'"), failure::getMessage);
  }
}
