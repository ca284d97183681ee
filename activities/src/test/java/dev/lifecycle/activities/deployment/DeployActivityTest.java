package dev.lifecycle.activities.deployment;

import static dev.lifecycle.activities.deployment.serving.ServingFixtures.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.deployment.serving.ModelFailureException;
import dev.lifecycle.activities.deployment.serving.ServingFixtures;
import dev.lifecycle.activities.deployment.serving.ServingFixtures.TestLoader;
import dev.lifecycle.activities.deployment.serving.ServingRuntime;
import dev.lifecycle.activities.store.EndpointStore;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.training.TestModels;
import dev.lifecycle.dsl.plan.Deploy;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Serving;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.DeploymentActivities;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployActivityTest {
  @TempDir static Path shared;
  static LocalArtifactStore artifacts;
  static ArtifactRef model;

  @TempDir Path tmp;
  MetadataStore metadata;
  TestLoader loader;
  ServingRuntime serving;
  TestActivityEnvironment env;

  @BeforeAll
  static void trainModel() throws Exception {
    artifacts = new LocalArtifactStore(shared.resolve("artifacts"));
    model = ServingFixtures.abaloneModel(artifacts, shared);
  }

  @BeforeEach
  void setUp() {
    metadata = ServingFixtures.metadata(tmp);
    loader = new TestLoader(artifacts);
    serving = new ServingRuntime(metadata, loader, ServingRuntime.Options.DEFAULT);
    ServingFixtures.register(metadata, "abalone-age", model, "train-1");
    ServingFixtures.register(metadata, "abalone-age", model, "train-2");
    env = TestModels.environment();
    env.registerActivitiesImplementations(
        new DeploymentActivitiesImpl(artifacts, metadata, serving));
  }

  @AfterEach
  void tearDown() {
    env.close();
    serving.close();
    metadata.close();
  }

  private StepResult deploy(String runId, String endpoint, int version, Serving options) {
    StepTask task =
        new StepTask(
            new RunInfo("wf-" + runId, runId, "abalone", "plan", Map.of()),
            new Deploy(
                "deploy",
                endpoint,
                "abalone-age",
                new OutputRef("register", "model"),
                new OutputRef("register", "version"),
                options,
                null,
                List.of()),
            Map.of("model", model),
            Map.of("version", version));
    return env.newActivityStub(DeploymentActivities.class, TestModels.options()).deploy(task);
  }

  private static String failureType(ActivityFailure failure) {
    return ((ApplicationFailure) failure.getCause()).getType();
  }

  @Test
  void servesTheVersionAndMovesTheProductionAlias() {
    StepResult result = deploy("run-1", "abalone", 1, Serving.DEFAULT);

    assertEquals("abalone", result.values().get("endpoint"));
    assertEquals("/endpoints/abalone/invocations", result.values().get("url"));
    assertEquals(
        "abalone-age v1 serving at /endpoints/abalone/invocations (realtime)", result.summary());
    assertEquals(1, serving.endpoint("abalone").invoke(body(1)).modelVersion());
    assertEquals(1, metadata.models().byAlias("abalone-age", "production").orElseThrow().version());
    EndpointStore.EndpointRecord record = serving.endpointStore().endpoint("abalone").orElseThrow();
    assertEquals(1, record.version());
    assertEquals("SERVING", record.state());

    // A retried attempt of the same run and step changes nothing and loads nothing.
    StepResult again = deploy("run-1", "abalone", 1, Serving.DEFAULT);
    assertEquals(result, again);
    assertEquals(1, loader.loads(1));
    assertEquals(1, serving.endpointStore().deployments("abalone", 10).size());

    // The next run's version replaces it and takes the alias.
    deploy("run-2", "abalone", 2, Serving.DEFAULT);
    assertEquals(2, serving.endpoint("abalone").version());
    assertEquals(2, metadata.models().byAlias("abalone-age", "production").orElseThrow().version());
  }

  @Test
  void aRolledBackCanaryFailsTheStepAndKeepsTheAlias() throws Exception {
    deploy("run-1", "abalone", 1, Serving.DEFAULT);
    loader.faults.put(
        2,
        call -> {
          throw new IllegalStateException("injected");
        });
    Serving canary =
        new Serving(
            Serving.Mode.REALTIME,
            null,
            null,
            Serving.Rollout.CANARY,
            25,
            Duration.ofHours(1),
            null,
            null,
            null,
            null);
    AtomicBoolean stop = new AtomicBoolean();
    Thread traffic =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  serving.endpoint("abalone").invoke(body(3));
                } catch (ModelFailureException expected) {
                  // The canary's failures are what trips the alarm.
                }
              }
            });
    traffic.start();
    ActivityFailure failure;
    try {
      failure = assertThrows(ActivityFailure.class, () -> deploy("run-2", "abalone", 2, canary));
    } finally {
      stop.set(true);
      traffic.join();
    }

    assertEquals(FailureTypes.DEPLOYMENT_ROLLED_BACK, failureType(failure));
    assertTrue(failure.getCause().getMessage().contains("error-rate alarm"), failure.getMessage());
    assertEquals(1, serving.endpoint("abalone").version());
    assertEquals(1, metadata.models().byAlias("abalone-age", "production").orElseThrow().version());
    assertEquals(
        "ROLLED_BACK", serving.endpointStore().deployment("run-2", "deploy").orElseThrow().state());
    // A retry reports the same outcome without rolling out again.
    ActivityFailure retry =
        assertThrows(ActivityFailure.class, () -> deploy("run-2", "abalone", 2, canary));
    assertEquals(FailureTypes.DEPLOYMENT_ROLLED_BACK, failureType(retry));
    assertEquals(1, loader.loads(2));
  }

  @Test
  void rejectsWhatCannotBeDeployedNamingIt() {
    ActivityFailure name =
        assertThrows(ActivityFailure.class, () -> deploy("run-1", "Abalone_Prod", 1, null));
    assertEquals(FailureTypes.INVALID_PLAN, failureType(name));
    assertTrue(name.getCause().getMessage().contains("'Abalone_Prod'"));

    ActivityFailure version =
        assertThrows(ActivityFailure.class, () -> deploy("run-1", "abalone", 7, null));
    assertEquals(FailureTypes.INVALID_PLAN, failureType(version));
    assertTrue(version.getCause().getMessage().contains("no version 7"));

    metadata
        .models()
        .setApproval("abalone-age", 2, dev.lifecycle.activities.store.ApprovalStatus.REJECTED);
    ActivityFailure rejected =
        assertThrows(ActivityFailure.class, () -> deploy("run-1", "abalone", 2, null));
    assertEquals(FailureTypes.APPROVAL_REJECTED, failureType(rejected));
    assertTrue(serving.names().isEmpty());
  }

  @Test
  void deployedEndpointsAreRecreatedByTheNextWorker() {
    deploy("run-1", "abalone", 1, Serving.DEFAULT);
    deploy("run-2", "abalone", 2, Serving.DEFAULT);
    serving.close();

    try (ServingRuntime next =
        new ServingRuntime(metadata, loader, ServingRuntime.Options.DEFAULT)) {
      assertEquals(List.of("abalone"), next.restore());
      assertEquals(2, next.endpoint("abalone").invoke(body(2)).modelVersion());
    }
  }
}
