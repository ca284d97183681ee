package dev.lifecycle.dsl.compile;

import static dev.lifecycle.dsl.compile.Plans.assertProblem;
import static dev.lifecycle.dsl.compile.Plans.assertValid;
import static dev.lifecycle.dsl.compile.Plans.chain;
import static dev.lifecycle.dsl.compile.Plans.chainThen;
import static dev.lifecycle.dsl.compile.Plans.evaluate;
import static dev.lifecycle.dsl.compile.Plans.features;
import static dev.lifecycle.dsl.compile.Plans.ingest;
import static dev.lifecycle.dsl.compile.Plans.out;
import static dev.lifecycle.dsl.compile.Plans.plan;
import static dev.lifecycle.dsl.compile.Plans.split;
import static dev.lifecycle.dsl.compile.Plans.train;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.Param;
import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.Values;
import dev.lifecycle.dsl.plan.Approval;
import dev.lifecycle.dsl.plan.BatchTransform;
import dev.lifecycle.dsl.plan.Condition;
import dev.lifecycle.dsl.plan.Evaluate;
import dev.lifecycle.dsl.plan.Expr;
import dev.lifecycle.dsl.plan.Fail;
import dev.lifecycle.dsl.plan.Features;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.ParamRef;
import dev.lifecycle.dsl.plan.Parameter;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.RetrySpec;
import dev.lifecycle.dsl.plan.Split;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.dsl.plan.StepOptions;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.dsl.plan.ValueType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PipelineCompilerTest {

  private static Parameter param(String name, ValueType type, Object value) {
    return new Parameter(name, type, value, null);
  }

  private static Expr.Compare le(
      dev.lifecycle.dsl.plan.Operand l, dev.lifecycle.dsl.plan.Operand r) {
    return new Expr.Compare(l, Expr.Op.LE, r);
  }

  private static Fail fail(String name, dev.lifecycle.dsl.plan.Operand... args) {
    return new Fail(name, "failed: {}", List.of(args), null);
  }

  /** A complete pipeline written with the DSL, as users do. */
  private static Pipeline abaloneLike() {
    Pipeline p = Pipeline.named("demo");
    Param.Number<Double> threshold = p.doubleParam("threshold", 2.5, "largest RMSE");
    var raw = p.ingest("ingest").csv("classpath:data.csv").dataset();
    var split = p.split("split", raw);
    var features = p.features("features", split).label("y").oneHot("kind").standardize();
    var train = p.train("train", features.train()).validation(features.validation()).label("y");
    var evaluate = p.evaluate("evaluate", train.model(), features.test()).label("y");
    var rmse = evaluate.metric("rmse");
    var ok = p.condition("ok", rmse.atMost(threshold));
    ok.then(b -> b.register("register", "model", train.model()).dataset(raw).metrics(evaluate))
        .otherwise(b -> b.fail("too-high", "RMSE {} above {}", rmse, threshold));
    p.approval("publish").after(ok).expiresAfter(Duration.ofDays(1));
    return p;
  }

  @Test
  void acceptsAValidPipeline() {
    assertValid(abaloneLike().build());
  }

  @Test
  void rejectsDuplicateStepNamesIncludingBranches() {
    PipelinePlan plan =
        chainThen(
            new Condition(
                "ok",
                le(new MetricRef(null, "rmse"), new Literal(2.0)),
                List.of(fail("train")),
                List.of(),
                null));
    Problem problem = assertProblem(plan, Rules.DUPLICATE_NAME, "train", "train");
    assertTrue(problem.message().contains("then branch of 'ok'"), problem.message());
  }

  @Test
  void rejectsDuplicateParameterNames() {
    PipelinePlan plan =
        plan(
            List.of(param("n", ValueType.INTEGER, 1), param("n", ValueType.DOUBLE, 1.0)),
            ingest("ingest"));
    assertProblem(plan, Rules.DUPLICATE_NAME, null, "n");
  }

  @Test
  void rejectsInvalidStepAndParameterNames() {
    PipelinePlan plan =
        plan(
            List.of(param("1st", ValueType.INTEGER, 1)), ingest("my step"), ingest("a".repeat(65)));
    assertProblem(plan, Rules.INVALID_NAME, "my step", "my step");
    assertProblem(plan, Rules.INVALID_NAME, null, "1st");
    assertEquals(
        3,
        PipelineCompiler.check(plan).stream()
            .filter(p -> p.rule().equals(Rules.INVALID_NAME))
            .count());
  }

  @Test
  void rejectsAnEmptyPipeline() {
    assertProblem(plan(), Rules.EMPTY_PIPELINE, null, "p");
  }

  @Test
  void rejectsAReferenceToAnUnknownStepSuggestingTheClosest() {
    PipelinePlan plan =
        plan(
            ingest("ingest"),
            split("split", "ingest"),
            train("train", "split"),
            evaluate("evaluate", "trian", "split"));
    Problem problem = assertProblem(plan, Rules.UNKNOWN_STEP, "evaluate", "trian");
    assertTrue(problem.message().contains("did you mean 'train'?"), problem.message());
  }

  @Test
  void rejectsAfterNamingAnUnknownStep() {
    PipelinePlan plan =
        plan(ingest("ingest"), new Approval("gate", null, null, List.of("nowhere")));
    Problem problem = assertProblem(plan, Rules.UNKNOWN_STEP, "gate", "nowhere");
    assertTrue(problem.message().contains("[ingest, gate]"), problem.message());
  }

  @Test
  void rejectsAnUnknownOutputListingTheStepsOutputs() {
    PipelinePlan plan =
        plan(
            ingest("ingest"),
            new Split("split", out("ingest", "data"), 0.8, 0.1, 0.1, 1, null, null));
    Problem problem = assertProblem(plan, Rules.UNKNOWN_OUTPUT, "split", "data");
    assertTrue(problem.message().contains("did you mean 'dataset'?"), problem.message());
    assertTrue(problem.message().contains("[dataset (dataset)]"), problem.message());
  }

  @Test
  void rejectsAnUndeclaredParameterSuggestingTheClosest() {
    PipelinePlan plan =
        plan(
            List.of(param("source", ValueType.STRING, "a.csv")),
            new Ingest("ingest", new ParamRef("sorce"), "csv", null, null));
    Problem problem = assertProblem(plan, Rules.UNKNOWN_PARAMETER, "ingest", "sorce");
    assertTrue(problem.message().contains("did you mean 'source'?"), problem.message());
  }

  @Test
  void rejectsACycleNamingItsStepsInOrder() {
    PipelinePlan plan =
        plan(
            ingest("ingest"),
            new Split("a", out("c", "train"), 0.8, 0.1, 0.1, 1, null, null),
            new Split("b", out("a", "train"), 0.8, 0.1, 0.1, 1, null, null),
            new Split("c", out("b", "train"), 0.8, 0.1, 0.1, 1, null, null));
    Problem problem = assertProblem(plan, Rules.CYCLE, "a", "a");
    assertTrue(problem.message().contains("'a' -> 'b' -> 'c' -> 'a'"), problem.message());
  }

  @Test
  void rejectsAStepThatWaitsForItself() {
    PipelinePlan plan = plan(ingest("ingest"), new Approval("gate", null, null, List.of("gate")));
    Problem problem = assertProblem(plan, Rules.CYCLE, "gate", "gate");
    assertTrue(problem.message().contains("'gate' -> 'gate'"), problem.message());
  }

  @Test
  void rejectsABranchStepThatWaitsForItsOwnCondition() {
    PipelinePlan plan =
        chainThen(
            new Condition(
                "ok",
                le(new MetricRef("evaluate", "rmse"), new Literal(2.0)),
                List.of(new Approval("gate", null, null, List.of("ok"))),
                List.of(),
                null));
    Problem problem = assertProblem(plan, Rules.CYCLE, "ok", "gate");
    assertTrue(problem.message().contains("'ok' -> 'gate' -> 'ok'"), problem.message());
  }

  @Test
  void rejectsAConditionReadingAMetricOfItsOwnBranch() {
    Step inner = evaluate("again", "train", "split");
    PipelinePlan plan =
        chainThen(
            new Condition(
                "ok",
                le(new MetricRef("again", "rmse"), new Literal(2.0)),
                List.of(inner),
                List.of(),
                null));
    assertProblem(plan, Rules.UNKNOWN_METRIC, "ok", "again");
  }

  @Test
  void rejectsAMetricNoEarlierStepProduces() {
    PipelinePlan plan = chainThen(fail("deploy", new MetricRef(null, "auc")));
    Problem problem = assertProblem(plan, Rules.UNKNOWN_METRIC, "deploy", "auc");
    assertTrue(
        problem.message().contains("[train (train_loss), evaluate (mse, rmse, mae, r2)]"),
        problem.message());
  }

  @Test
  void rejectsAMetricThatItsNamedStepDoesNotProduce() {
    PipelinePlan plan = chainThen(fail("deploy", new MetricRef("evaluate", "rsme")));
    Problem problem = assertProblem(plan, Rules.UNKNOWN_METRIC, "deploy", "rsme");
    assertTrue(problem.message().contains("did you mean 'rmse'?"), problem.message());
  }

  @Test
  void rejectsAMetricOfALaterStep() {
    List<Step> steps = new java.util.ArrayList<>(chain());
    steps.add(3, fail("early", new MetricRef("evaluate", "rmse")));
    assertProblem(plan(steps.toArray(Step[]::new)), Rules.UNKNOWN_METRIC, "early", "evaluate");
  }

  @Test
  void rejectsAnUnqualifiedMetricThatSeveralEarlierStepsProduce() {
    PipelinePlan plan =
        chainThen(
            evaluate("evaluate2", "train", "split"), fail("deploy", new MetricRef(null, "rmse")));
    Problem problem = assertProblem(plan, Rules.AMBIGUOUS_METRIC, "deploy", "rmse");
    assertTrue(problem.message().contains("[evaluate, evaluate2]"), problem.message());
  }

  @Test
  void compileQualifiesEveryUnqualifiedMetric() {
    PipelinePlan plan =
        chainThen(
            new Condition(
                "ok",
                new Expr.Not(le(new MetricRef(null, "rmse"), new Literal(2.0))),
                List.of(fail("stop", new MetricRef(null, "mae"))),
                List.of(
                    new Register(
                        "register",
                        "m",
                        out("train", "model"),
                        null,
                        Map.of("r2", new MetricRef(null, "r2")),
                        null,
                        null)),
                null));
    PipelinePlan compiled = PipelineCompiler.compile(plan);
    Condition ok = (Condition) compiled.step("ok").orElseThrow();
    Expr.Compare compare = (Expr.Compare) ((Expr.Not) ok.when()).part();
    assertEquals(new MetricRef("evaluate", "rmse"), compare.left());
    assertEquals(List.of(new MetricRef("evaluate", "mae")), ((Fail) ok.then().get(0)).args());
    assertEquals(
        Map.of("r2", new MetricRef("evaluate", "r2")),
        ((Register) ok.otherwise().get(0)).metrics());
    assertEquals(compiled, PipelineCompiler.compile(compiled));
  }

  @Test
  void rejectsAParameterOfTheWrongTypeForAnInput() {
    Train train =
        new Train(
            "train",
            out("split", "train"),
            null,
            "y",
            null,
            List.of(8),
            new ParamRef("lr"),
            new Literal(2.5),
            new ParamRef("n"),
            1,
            null,
            null);
    PipelinePlan plan =
        plan(
            List.of(param("lr", ValueType.DOUBLE, 0.1), param("n", ValueType.INTEGER, 3)),
            ingest("ingest"),
            split("split", "ingest"),
            train);
    Problem epochs = assertProblem(plan, Rules.TYPE_MISMATCH, "train", "epochs");
    assertTrue(epochs.message().contains("p.intParam"), epochs.message());
    assertProblem(plan, Rules.TYPE_MISMATCH, "train", "batchSize");
    // An integer parameter is a fine learning rate: integers widen to doubles.
    assertTrue(
        PipelineCompiler.check(plan).stream().noneMatch(p -> p.message().contains("learningRate")));
  }

  @Test
  void rejectsAnOutputOfTheWrongType() {
    PipelinePlan plan =
        plan(
            ingest("ingest"),
            split("split", "ingest"),
            new Evaluate(
                "evaluate", out("split", "train"), out("split", "test"), "y", null, null, null));
    Problem problem = assertProblem(plan, Rules.TYPE_MISMATCH, "evaluate", "model");
    assertTrue(problem.message().contains("a dataset"), problem.message());
  }

  @Test
  void rejectsOrderingComparisonsOfNonNumbers() {
    PipelinePlan plan =
        plan(
            List.of(param("name", ValueType.STRING, "x")),
            ingest("ingest"),
            new Condition("ok", le(new ParamRef("name"), new Literal(1)), null, null, null));
    assertProblem(plan, Rules.TYPE_MISMATCH, "ok", "<=");
  }

  @Test
  void rejectsEqualityBetweenDifferentTypes() {
    PipelinePlan plan =
        plan(
            List.of(param("flag", ValueType.BOOLEAN, true)),
            ingest("ingest"),
            new Condition(
                "ok",
                new Expr.Compare(new ParamRef("flag"), Expr.Op.EQ, new Literal("yes")),
                null,
                null,
                null),
            new Condition(
                "same",
                new Expr.Compare(new Literal(1), Expr.Op.EQ, new Literal(1.0)),
                null,
                null,
                null));
    assertProblem(plan, Rules.TYPE_MISMATCH, "ok", "==");
    assertTrue(
        PipelineCompiler.check(plan).stream().noneMatch(p -> "same".equals(p.step())),
        "integers and doubles compare as numbers");
  }

  @Test
  void rejectsArtifactsInConditionsAndFailArguments() {
    PipelinePlan plan =
        plan(
            ingest("ingest"),
            new Condition(
                "ok",
                new Expr.Compare(out("ingest", "dataset"), Expr.Op.EQ, new Literal("x")),
                null,
                null,
                null),
            fail("stop", out("ingest", "dataset")));
    assertProblem(plan, Rules.TYPE_MISMATCH, "ok", "ok");
    Problem argument = assertProblem(plan, Rules.TYPE_MISMATCH, "stop", "stop");
    assertTrue(argument.message().contains("argument 1"), argument.message());
  }

  @Test
  void acceptsAnyScalarAsAFailArgument() {
    assertValid(
        plan(
            List.of(param("name", ValueType.STRING, "x")),
            ingest("ingest"),
            fail(
                "stop",
                new ParamRef("name"),
                new Literal(true),
                new Literal(3),
                new Literal(1.5))));
  }

  @Test
  void rejectsAParameterDefaultOfTheWrongType() {
    PipelinePlan plan =
        plan(List.of(param("threshold", ValueType.DOUBLE, "abc")), ingest("ingest"));
    Problem problem = assertProblem(plan, Rules.TYPE_MISMATCH, null, "threshold");
    assertTrue(problem.message().contains("\"abc\""), problem.message());
  }

  @Test
  void rejectsMissingRequiredInputsNamingStepAndField() {
    PipelinePlan plan =
        plan(
            ingest("ingest"),
            new Split("split", null, 0.8, 0.1, 0.1, 1, null, null),
            new Features("features", null, null, null, null, null, null, null, null, null),
            new Train("train", null, null, " ", null, null, null, null, null, 1, null, null),
            new Evaluate("evaluate", null, null, null, null, null, null),
            new Register("register", null, null, null, null, null, null),
            new BatchTransform("predict", null, null, null, null));
    Map<String, Long> perStep =
        PipelineCompiler.check(plan).stream()
            .filter(p -> p.rule().equals(Rules.MISSING_INPUT))
            .collect(Collectors.groupingBy(Problem::step, Collectors.counting()));
    assertEquals(
        Map.of(
            "split",
            1L,
            "features",
            4L,
            "train",
            2L,
            "evaluate",
            3L,
            "register",
            2L,
            "predict",
            2L),
        perStep);
    assertTrue(
        PipelineCompiler.check(plan).stream()
            .anyMatch(p -> "train".equals(p.step()) && p.message().contains(".label(\"column\")")));
  }

  @Test
  void rejectsAnIngestWithoutSourceInTheDsl() {
    Pipeline p = Pipeline.named("p");
    var raw = p.ingest("ingest").dataset();
    p.split("split", raw);
    p.condition("ok", null).then(b -> b.ingest("nested"));
    PlanValidationException e = assertThrows(PlanValidationException.class, p::compile);
    assertEquals(
        Set.of("ingest", "ok", "nested"),
        e.problems().stream().map(Problem::step).collect(Collectors.toSet()));
    e.problems().forEach(problem -> assertEquals(Rules.MISSING_INPUT, problem.rule()));
  }

  @Test
  void rejectsOversizedStrings() {
    String big = "x".repeat(PipelineCompiler.MAX_LITERAL_BYTES + 1);
    PipelinePlan plan =
        plan(
            List.of(param("blob", ValueType.STRING, big)),
            new Ingest("ingest", new Literal(big), "csv", null, null),
            new Fail("stop", big, null, null),
            new Approval("gate", big, null, null));
    List<Problem> problems =
        PipelineCompiler.check(plan).stream()
            .filter(p -> p.rule().equals(Rules.LITERAL_TOO_LARGE))
            .toList();
    assertEquals(4, problems.size(), problems::toString);
    assertTrue(problems.get(0).message().contains("'blob'"), problems.get(0).message());
    assertTrue(problems.get(0).message().contains("256 KB"), problems.get(0).message());
    assertProblem(plan, Rules.LITERAL_TOO_LARGE, "ingest", "source");
    // Exactly at the limit is fine; multi-byte characters count as bytes.
    assertValid(plan(ingest("ok"), new Fail("stop", "é".repeat(128 * 1024), null, null)));
    assertProblem(
        plan(new Fail("stop", "é".repeat(128 * 1024 + 1), null, null)),
        Rules.LITERAL_TOO_LARGE,
        "stop",
        "stop");
  }

  @Test
  void rejectsOutOfRangeValues() {
    StepOptions badOptions =
        new StepOptions(
            new RetrySpec(3, Duration.ofSeconds(10), 2.0, Duration.ofSeconds(1), null),
            Duration.ZERO,
            Duration.ofSeconds(-1),
            " ");
    PipelinePlan plan =
        plan(
            new Ingest("ingest", new Literal("a.xls"), "xls", badOptions, null),
            new Split("split", out("ingest", "dataset"), 0.8, 0.3, 0.0, 1, null, null),
            new Features(
                "features",
                out("split", "train"),
                out("split", "validation"),
                out("split", "test"),
                "y",
                List.of("y"),
                List.of("*"),
                List.of(),
                null,
                null),
            new Train(
                "train",
                out("features", "train"),
                null,
                "y",
                null,
                List.of(16, 0),
                new Literal(0),
                new Literal(-4),
                new Literal(0.0),
                1,
                null,
                null),
            new Approval("gate", null, Duration.ofMinutes(-5), null));
    assertProblem(plan, Rules.INVALID_VALUE, "ingest", "xls");
    Map<String, Long> perStep =
        PipelineCompiler.check(plan).stream()
            .filter(p -> p.rule().equals(Rules.INVALID_VALUE))
            .collect(Collectors.groupingBy(Problem::step, Collectors.counting()));
    // ingest: format, timeout, heartbeat, max < initial interval, blank queue; split: test fraction
    // and the sum; features: label in oneHot; train: width, epochs, batch size, learning rate.
    assertEquals(
        Map.of("ingest", 5L, "split", 2L, "features", 1L, "train", 4L, "gate", 1L), perStep);
    assertProblem(plan, Rules.INVALID_VALUE, "features", "y");
  }

  @Test
  void rejectsReadingABranchOutputFromOutsideTheBranch() {
    Register register =
        new Register("register", "m", out("train", "model"), null, null, null, null);
    PipelinePlan plan =
        chainThen(
            new Condition(
                "ok",
                le(new MetricRef("evaluate", "rmse"), new Literal(2.0)),
                List.of(register, evaluate("recheck", "train", "split")),
                List.of(fail("stop", out("register", "version"))),
                null),
            fail("after-all", new MetricRef("recheck", "mae")));
    Problem other = assertProblem(plan, Rules.BRANCH_OUTPUT, "stop", "register");
    assertTrue(other.message().contains("then branch of condition 'ok'"), other.message());
    Problem outside = assertProblem(plan, Rules.BRANCH_OUTPUT, "after-all", "recheck");
    assertTrue(outside.message().contains(".after("), outside.message());
  }

  @Test
  void allowsReadingWithinTheBranchAndWaitingForTheCondition() {
    Register register =
        new Register("register", "m", out("train", "model"), null, null, null, null);
    assertValid(
        chainThen(
            new Condition(
                "ok",
                le(new MetricRef("evaluate", "rmse"), new Literal(2.0)),
                List.of(register, fail("done", out("register", "version"))),
                List.of(),
                null),
            new Approval("gate", null, null, List.of("ok"))));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    PipelinePlan plan =
        plan(
            ingest("ingest"),
            new Split("split", out("ingest", "dataset"), 0.5, 0.5, 0.5, 1, null, null),
            evaluate("evaluate", "trian", "split"),
            fail("stop", new MetricRef(null, "auc")));
    PlanValidationException e =
        assertThrows(PlanValidationException.class, () -> PipelineCompiler.compile(plan));
    assertEquals(
        List.of(Rules.INVALID_VALUE, Rules.UNKNOWN_STEP, Rules.UNKNOWN_METRIC),
        e.problems().stream().map(Problem::rule).toList());
    assertTrue(e.getMessage().startsWith("Pipeline 'p' has 3 problems:"), e.getMessage());
    assertTrue(e.getMessage().contains("'trian'"), e.getMessage());
  }

  @Test
  void checksPlansBuiltFromStringNamedValues() {
    Pipeline p = Pipeline.named("values");
    p.doubleParam("threshold", 1.0, "");
    var raw = p.ingest("ingest").csv("a.csv").dataset();
    var split = p.split("split", raw);
    var train = p.train("train", split.train()).label("y");
    p.evaluate("evaluate", train.model(), split.test()).label("y");
    p.condition("ok", Values.metric("rmse").atMost(Values.param("treshold")));
    Problem problem = assertProblem(p.build(), Rules.UNKNOWN_PARAMETER, "ok", "treshold");
    assertTrue(problem.message().contains("did you mean 'threshold'?"), problem.message());
  }
}
