package dev.lifecycle.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.compile.PipelineCompiler;
import dev.lifecycle.dsl.compile.PlanDiagram;
import dev.lifecycle.dsl.compile.PlanGraph;
import dev.lifecycle.dsl.compile.Problem;
import dev.lifecycle.dsl.compile.Rules;
import dev.lifecycle.dsl.plan.Monitor;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The monitor step as people write it, its plan, its JSON and its rules. */
class MonitorBuilderTest {

  static Pipeline monitored(Consumer<MonitorBuilder> configure) {
    Pipeline p = Pipeline.named("monitored");
    var raw = p.ingest("ingest").csv("data.csv").dataset();
    var train = p.train("train", raw).label("Rings");
    var register = p.register("register", "abalone-age", train.model());
    var serve = p.deploy("serve", register).endpoint("abalone-age").capture(0.5);
    MonitorBuilder watch = p.monitor("watch", serve).baseline(raw);
    configure.accept(watch);
    return p;
  }

  static PipelinePlan full() {
    return monitored(
            m ->
                m.every(Duration.ofHours(6))
                    .features("Length", "Whole.weight")
                    .drift("psi", 0.2)
                    .drift("ks", 0.01)
                    .categoricalDrift("chi_square", 0.05)
                    .alertTo("https://hooks.example.com/ml")
                    .retrain(Duration.ofDays(1), 3))
        .compile();
  }

  @Test
  void compilesToTheGoldenPlan() throws IOException {
    Golden.assertGolden("monitor", full());
  }

  @Test
  void watchesTheDeployStepsEndpointWithTheTrainingDataAsBaseline() {
    PipelinePlan plan = full();
    Monitor m = (Monitor) plan.step("watch").orElseThrow();
    assertEquals(new OutputRef("serve", "endpoint"), m.endpoint());
    assertEquals(new OutputRef("ingest", "dataset"), m.baseline());
    assertEquals(Monitor.OnViolation.RETRAIN, m.onViolation());
    assertEquals(3, m.retrainLimit());
    assertTrue(PlanGraph.of(plan).dependencies("watch").contains("serve"));
    assertEquals(plan, PlanJson.read(PlanJson.write(plan)));
    assertTrue(
        PlanDiagram.mermaid(plan).contains("watch[\"watch (monitor: every 6h)\"]"),
        PlanDiagram.mermaid(plan));
  }

  @Test
  void defaultsToHourlyAlertOnly() {
    Monitor m = (Monitor) monitored(x -> {}).compile().step("watch").orElseThrow();
    assertEquals(Duration.ofHours(1), m.every());
    assertEquals(Monitor.OnViolation.ALERT, m.onViolation());
  }

  @Test
  void rejectsUnknownOrMisappliedMethodsAndBadThresholds() {
    assertProblem(x -> x.drift("psy", 0.2), "'psy'");
    assertProblem(x -> x.drift("chi_square", 0.05), "'chi_square'");
    assertProblem(x -> x.categoricalDrift("wasserstein", 0.1), "'wasserstein'");
    assertProblem(x -> x.drift("ks", 1.5), "1.5");
    assertProblem(x -> x.drift("jensen_shannon", 2), "2.0");
    assertProblem(x -> x.drift("psi", -1), "-1.0");
  }

  @Test
  void rejectsBadSchedulesWebhooksFeaturesAndRetraining() {
    assertProblem(x -> x.every(Duration.ofSeconds(30)), "PT30S");
    assertProblem(x -> x.alertTo("ftp://example.com/x"), "ftp://example.com/x");
    assertProblem(x -> x.features("Length", "Length"), "'Length'");
    assertProblem(x -> x.features("Length").exclude("Length"), "'Length'");
    assertProblem(x -> x.retrain(Duration.ZERO, 3), "PT0S");
    assertProblem(x -> x.retrain(Duration.ofDays(1), 0), "0 times");
  }

  @Test
  void handsCapturedDataToADeclaredStringParameterOnlyWhenRetraining() {
    Pipeline p = Pipeline.named("p");
    var captured = p.stringParam("capturedData", "", "data captured since the last retraining");
    var raw = p.ingest("ingest").csv("data.csv").dataset();
    var train = p.train("train", raw).label("Rings");
    var serve = p.deploy("serve", p.register("register", "m", train.model()));
    MonitorBuilder watch = p.monitor("watch", serve).baseline(raw);
    watch.retrain(Duration.ofDays(1), 3).withCapturedData(captured);
    PipelinePlan plan = p.compile();
    assertEquals(
        "capturedData", ((Monitor) plan.step("watch").orElseThrow()).capturedDataParameter());
    assertNull(((Monitor) plan.step("watch").orElseThrow()).driftedDataOnly());
    assertEquals(plan, PlanJson.read(PlanJson.write(plan)));
    assertTrue(!PlanJson.write(plan).contains("driftedDataOnly"));

    watch.withDriftedData(captured);
    PipelinePlan drifted = p.compile();
    assertEquals(
        "capturedData", ((Monitor) drifted.step("watch").orElseThrow()).capturedDataParameter());
    assertEquals(true, ((Monitor) drifted.step("watch").orElseThrow()).driftedDataOnly());
    assertEquals(drifted, PlanJson.read(PlanJson.write(drifted)));

    watch.alertOnly();
    List<Problem> alertOnly = PipelineCompiler.check(p.build());
    assertTrue(
        alertOnly.stream().anyMatch(x -> x.message().contains("'capturedData' but only alerts")),
        alertOnly::toString);

    assertProblem(
        x ->
            x.retrain(Duration.ofDays(1), 3)
                .withCapturedData(Pipeline.named("other").stringParam("captured", "", "")),
        "'captured', which the pipeline does not declare");
  }

  @Test
  void setsStringParametersOfRetrainingRunsOnlyWhenRetraining() {
    Pipeline p = Pipeline.named("p");
    var base = p.stringParam("baseModel", "registry:base/latest", "the model to start from");
    var raw = p.ingest("ingest").csv("data.csv").dataset();
    var train = p.train("train", raw).label("Rings");
    var serve = p.deploy("serve", p.register("register", "m", train.model()));
    MonitorBuilder watch = p.monitor("watch", serve).baseline(raw);
    watch.retrain(Duration.ofDays(1), 3).retrainWith(base, "registry:m/production");
    PipelinePlan plan = p.compile();
    assertEquals(
        Map.of("baseModel", "registry:m/production"),
        ((Monitor) plan.step("watch").orElseThrow()).retrainParameters());
    assertEquals(plan, PlanJson.read(PlanJson.write(plan)));
    assertTrue(PlanJson.write(plan).contains("\"retrainParameters\""));
    assertTrue(
        !PlanJson.write(full()).contains("retrainParameters"),
        "left out of plans that do not set it, so existing plans keep their JSON");

    watch.alertOnly();
    List<Problem> alertOnly = PipelineCompiler.check(p.build());
    assertTrue(
        alertOnly.stream().anyMatch(x -> x.message().contains("[baseModel] but only alerts")),
        alertOnly::toString);

    assertProblem(
        x ->
            x.retrain(Duration.ofDays(1), 3)
                .retrainWith(Pipeline.named("other").stringParam("modelPath", "", ""), "x"),
        "'modelPath' of retraining runs, which the pipeline does not declare");
    Pipeline q = Pipeline.named("q");
    q.intParam("epochs", 3, "epochs");
    var qraw = q.ingest("ingest").csv("data.csv").dataset();
    var qserve =
        q.deploy("serve", q.register("register", "m", q.train("train", qraw).label("R").model()));
    q.monitor("watch", qserve)
        .baseline(qraw)
        .retrain(Duration.ofDays(1), 3)
        .retrainWith(new Param<String>("epochs"), "5");
    assertTrue(
        PipelineCompiler.check(q.build()).stream()
            .anyMatch(x -> x.message().contains("'epochs' of retraining runs to a string")),
        () -> PipelineCompiler.check(q.build()).toString());
  }

  @Test
  void takesARangeMarginOfZeroOrMore() {
    PipelinePlan plan = monitored(m -> m.rangeMargin(2.0)).compile();
    assertEquals(2.0, ((Monitor) plan.step("watch").orElseThrow()).rangeMargin());
    assertNull(((Monitor) full().step("watch").orElseThrow()).rangeMargin());
    assertProblem(m -> m.rangeMargin(-0.1), "range margin of -0.1");
  }

  @Test
  void requiresABaselineAndOneMonitorPerEndpoint() {
    Pipeline p = Pipeline.named("p");
    var raw = p.ingest("ingest").csv("data.csv").dataset();
    var train = p.train("train", raw).label("Rings");
    var serve = p.deploy("serve", p.register("register", "m", train.model()));
    p.monitor("watch", serve);
    p.monitor("watch-again", serve).baseline(raw);
    List<Problem> problems = PipelineCompiler.check(p.build());
    assertTrue(
        problems.stream()
            .anyMatch(x -> x.rule().equals(Rules.MISSING_INPUT) && "watch".equals(x.step())),
        problems::toString);
    assertTrue(
        problems.stream()
            .anyMatch(
                x -> x.rule().equals(Rules.INVALID_MONITORING) && "watch-again".equals(x.step())),
        problems::toString);
  }

  private static void assertProblem(Consumer<MonitorBuilder> configure, String offender) {
    List<Problem> problems = PipelineCompiler.check(monitored(configure).build());
    assertTrue(
        problems.stream()
            .anyMatch(
                x ->
                    x.rule().equals(Rules.INVALID_MONITORING)
                        && "watch".equals(x.step())
                        && x.message().contains(offender)),
        () -> offender + " not named in " + problems);
  }
}
