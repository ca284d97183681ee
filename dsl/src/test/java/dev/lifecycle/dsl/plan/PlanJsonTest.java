package dev.lifecycle.dsl.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.compile.PipelineCompiler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link PlanJson}: every IR construct survives a JSON round trip; bad JSON is named precisely. */
class PlanJsonTest {

  private static OutputRef out(String step, String output) {
    return new OutputRef(step, output);
  }

  /** A valid plan holding every step kind, expression kind, operand kind and option field. */
  static PipelinePlan everything() {
    StepOptions options =
        new StepOptions(
            new RetrySpec(
                5,
                Duration.ofMillis(1500),
                1.5,
                Duration.ofMinutes(2),
                List.of("LifecycleInvalidData")),
            Duration.ofMinutes(45),
            Duration.ofSeconds(30),
            "gpu");
    Map<String, Operand> metrics = new LinkedHashMap<>();
    metrics.put("rmse", new MetricRef("evaluate", "rmse"));
    metrics.put("loss", new MetricRef(null, "train_loss"));
    Expr when =
        new Expr.Or(
            List.of(
                new Expr.And(
                    List.of(
                        new Expr.Compare(
                            new MetricRef("evaluate", "rmse"), Expr.Op.LE, new ParamRef("rmseMax")),
                        new Expr.Compare(
                            new MetricRef(null, "r2"), Expr.Op.GT, new Literal(0.25)))),
                new Expr.Not(
                    new Expr.Compare(new ParamRef("strict"), Expr.Op.EQ, new Literal(true))),
                new Expr.Compare(new ParamRef("epochs"), Expr.Op.NE, new Literal(3))));
    Condition nested =
        new Condition(
            "very-good",
            new Expr.Compare(new MetricRef("evaluate", "mae"), Expr.Op.LT, new Literal(1)),
            List.of(
                new BatchTransform(
                    "predict", out("train", "model"), out("features", "test"), options, null)),
            List.of(new Approval("review", "Ship anyway?", Duration.ofHours(36), null)),
            List.of("register"));
    return new PipelinePlan(
        PipelinePlan.SCHEMA_VERSION,
        "everything",
        "Every construct of the IR",
        List.of(
            new Parameter("rmseMax", ValueType.DOUBLE, 2.5, "threshold"),
            new Parameter("epochs", ValueType.INTEGER, 4, null),
            new Parameter("source", ValueType.STRING, "classpath:data.csv", "where"),
            new Parameter("strict", ValueType.BOOLEAN, false, null),
            new Parameter("owner", ValueType.STRING, null, "required")),
        List.of(
            new Ingest("ingest", new ParamRef("source"), "auto", options, null),
            new Split("split", out("ingest", "dataset"), 0.7, 0.2, 0.1, 3, null, null),
            new Features(
                "features",
                out("split", "train"),
                out("split", "validation"),
                out("split", "test"),
                "y",
                List.of("kind"),
                List.of(Features.ALL_NUMERIC),
                List.of("id"),
                null,
                List.of("split")),
            new Train(
                "train",
                out("features", "train"),
                out("features", "validation"),
                "y",
                Task.REGRESSION,
                List.of(16, 8),
                new ParamRef("epochs"),
                new Literal(32),
                new Literal(0.01),
                11,
                new StepOptions(RetrySpec.attempts(1), null, Duration.ofMinutes(2), null),
                null),
            new Evaluate(
                "evaluate",
                out("train", "model"),
                out("features", "test"),
                "y",
                Task.REGRESSION,
                null,
                null),
            new Condition(
                "good",
                when,
                List.of(
                    new Register(
                        "register",
                        "demo-model",
                        out("train", "model"),
                        out("ingest", "dataset"),
                        metrics,
                        null,
                        null),
                    nested),
                List.of(
                    new Fail(
                        "too-bad",
                        "RMSE {} above {} (strict={}, owner {})",
                        List.of(
                            new MetricRef("evaluate", "rmse"),
                            new ParamRef("rmseMax"),
                            new ParamRef("strict"),
                            new Literal("ml-team")),
                        null)),
                null),
            new Approval("publish", null, null, List.of("good"))));
  }

  @Test
  void roundTripsEveryStepKind() {
    PipelinePlan plan = everything();
    assertEquals(List.of(), PipelineCompiler.check(plan), "the fixture is a valid plan");
    String json = PlanJson.write(plan);
    assertEquals(plan, PlanJson.read(json));
    assertEquals(json, PlanJson.write(PlanJson.read(json)));
    for (String kind :
        List.of(
            "ingest",
            "split",
            "features",
            "train",
            "evaluate",
            "condition",
            "register",
            "batchTransform",
            "approval",
            "fail",
            "compare",
            "and",
            "or",
            "not",
            "literal",
            "param",
            "output",
            "metric")) {
      assertTrue(json.contains("\"kind\" : \"" + kind + "\""), kind);
    }
    assertTrue(json.contains("\"PT36H\""), json);
  }

  @Test
  void roundTripsTheCompiledPlan() {
    PipelinePlan compiled = PipelineCompiler.compile(everything());
    assertEquals(compiled, PlanJson.read(PlanJson.write(compiled)));
    assertEquals(PlanJson.hash(compiled), PlanJson.hash(PlanJson.read(PlanJson.write(compiled))));
  }

  @Test
  void namesAnUnknownFieldAndItsLine() {
    String json =
        """
        {
          "schemaVersion": 1,
          "name": "p",
          "steps": [ {
            "kind": "ingest",
            "name": "ingest",
            "source": {"kind": "literal", "value": "a.csv"},
            "fromat": "csv"
          } ]
        }
        """;
    PlanFormatException e = assertThrows(PlanFormatException.class, () -> PlanJson.read(json));
    assertTrue(e.getMessage().contains("'fromat' at $.steps[0].fromat"), e.getMessage());
    // Jackson places the error at the end of the step's object (line 9); the message names the
    // field's own line.
    assertTrue(e.getMessage().contains("(line 8, column 5)"), e.getMessage());
  }

  @Test
  void namesAnUnknownKind() {
    String json =
        """
        {"schemaVersion": 1, "name": "p", "steps": [ {"kind": "shadow", "name": "d"} ]}
        """;
    PlanFormatException e = assertThrows(PlanFormatException.class, () -> PlanJson.read(json));
    assertTrue(e.getMessage().contains("'shadow'"), e.getMessage());
  }
}
