package dev.lifecycle.dsl.compile;

import static dev.lifecycle.dsl.compile.Plans.assertProblem;
import static dev.lifecycle.dsl.compile.Plans.assertValid;
import static dev.lifecycle.dsl.compile.Plans.chain;
import static dev.lifecycle.dsl.compile.Plans.out;
import static dev.lifecycle.dsl.compile.Plans.plan;

import dev.lifecycle.dsl.plan.Deploy;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.Serving;
import dev.lifecycle.dsl.plan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compiler's rules for deploy steps. */
class DeployRulesTest {

  private static Register register(String name, String model) {
    return new Register(name, model, out("train", "model"), null, Map.of(), null, null);
  }

  private static Deploy deploy(String name, String endpoint, Serving serving) {
    return new Deploy(
        name,
        endpoint,
        "m",
        out("register", "model"),
        out("register", "version"),
        serving,
        null,
        null);
  }

  private static Serving serving(
      Serving.Mode mode,
      Integer batch,
      Serving.Rollout rollout,
      Integer canary,
      Duration bake,
      Double errors,
      Duration idle,
      Double capture) {
    return new Serving(mode, batch, null, rollout, canary, bake, errors, null, idle, capture);
  }

  private static PipelinePlan with(Step... more) {
    List<Step> steps = new ArrayList<>(chain());
    steps.add(register("register", "m"));
    steps.addAll(List.of(more));
    return plan(steps.toArray(Step[]::new));
  }

  @Test
  void acceptsACanaryWithAlarmsAndCapture() {
    assertValid(
        with(
            deploy(
                "serve",
                "m-1",
                serving(
                    Serving.Mode.REALTIME,
                    1024,
                    Serving.Rollout.CANARY,
                    99,
                    Duration.ofMinutes(1),
                    1.0,
                    null,
                    0.0))));
  }

  @Test
  void rejectsBadEndpointNames() {
    for (String bad : List.of("Abalone", "1abc", "a_b", "a b", "-a")) {
      assertProblem(with(deploy("serve", bad, null)), Rules.INVALID_DEPLOYMENT, "serve", bad);
    }
  }

  @Test
  void requiresAnEndpoint() {
    assertProblem(with(deploy("serve", null, null)), Rules.MISSING_INPUT, "serve", "serve");
  }

  @Test
  void rejectsAModelThatDoesNotComeFromARegisterStep() {
    Deploy fromTrain =
        new Deploy(
            "serve", "m", "m", out("train", "model"), out("register", "version"), null, null, null);
    assertProblem(with(fromTrain), Rules.INVALID_DEPLOYMENT, "serve", "train");
  }

  @Test
  void rejectsModelAndVersionFromDifferentRegisterSteps() {
    Deploy mixed =
        new Deploy(
            "serve",
            "m",
            "m",
            out("register", "model"),
            new OutputRef("register-2", "version"),
            null,
            null,
            null);
    assertProblem(
        with(register("register-2", "m"), mixed), Rules.INVALID_DEPLOYMENT, "serve", "register");
  }

  @Test
  void rejectsAModelNameOtherThanTheRegisteredOne() {
    Deploy other =
        new Deploy(
            "serve",
            "m",
            "other",
            out("register", "model"),
            out("register", "version"),
            null,
            null,
            null);
    assertProblem(with(other), Rules.INVALID_DEPLOYMENT, "serve", "other");
  }

  @Test
  void rejectsBatchSizesOutOfRange() {
    for (int bad : List.of(0, 1025)) {
      assertProblem(
          with(deploy("serve", "m", serving(null, bad, null, null, null, null, null, null))),
          Rules.INVALID_DEPLOYMENT,
          "serve",
          "serve");
    }
  }

  @Test
  void rejectsCanarySharesOutOfRangeOrWithoutACanary() {
    for (int bad : List.of(0, 100)) {
      assertProblem(
          with(
              deploy(
                  "serve",
                  "m",
                  serving(null, null, Serving.Rollout.CANARY, bad, null, null, null, null))),
          Rules.INVALID_DEPLOYMENT,
          "serve",
          "serve");
    }
    assertProblem(
        with(
            deploy(
                "serve",
                "m",
                serving(null, null, Serving.Rollout.BLUE_GREEN, 10, null, null, null, null))),
        Rules.INVALID_DEPLOYMENT,
        "serve",
        "serve");
  }

  @Test
  void rejectsAlarmsAndBakeWithoutAStagedRollout() {
    assertProblem(
        with(deploy("serve", "m", serving(null, null, null, null, null, 0.1, null, null))),
        Rules.INVALID_DEPLOYMENT,
        "serve",
        "serve");
    assertProblem(
        with(
            deploy(
                "serve",
                "m",
                serving(null, null, null, null, Duration.ofMinutes(1), null, null, null))),
        Rules.INVALID_DEPLOYMENT,
        "serve",
        "serve");
  }

  @Test
  void rejectsFractionsAndDurationsOutOfRange() {
    assertProblem(
        with(deploy("serve", "m", serving(null, null, null, null, null, null, null, 1.5))),
        Rules.INVALID_DEPLOYMENT,
        "serve",
        "serve");
    assertProblem(
        with(
            deploy(
                "serve",
                "m",
                serving(null, null, Serving.Rollout.CANARY, 5, Duration.ZERO, 0.0, null, null))),
        Rules.INVALID_DEPLOYMENT,
        "serve",
        "serve");
    assertProblem(
        with(
            deploy(
                "serve",
                "m",
                serving(
                    Serving.Mode.SERVERLESS,
                    null,
                    null,
                    null,
                    null,
                    null,
                    Duration.ofSeconds(-1),
                    null))),
        Rules.INVALID_DEPLOYMENT,
        "serve",
        "serve");
  }

  @Test
  void rejectsAnIdleTimeOutsideServerless() {
    assertProblem(
        with(
            deploy(
                "serve",
                "m",
                serving(
                    Serving.Mode.REALTIME,
                    null,
                    null,
                    null,
                    null,
                    null,
                    Duration.ofMinutes(1),
                    null))),
        Rules.INVALID_DEPLOYMENT,
        "serve",
        "serve");
  }

  @Test
  void rejectsTwoDeploysToOneEndpoint() {
    assertProblem(
        with(deploy("serve", "m", null), deploy("serve-again", "m", null)),
        Rules.INVALID_DEPLOYMENT,
        "serve-again",
        "m");
  }
}
