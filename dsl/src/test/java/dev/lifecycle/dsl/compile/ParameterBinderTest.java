package dev.lifecycle.dsl.compile;

import static dev.lifecycle.dsl.compile.Plans.ingest;
import static dev.lifecycle.dsl.compile.Plans.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.Parameter;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.ValueType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link PipelineCompiler#bindParameters}. */
class ParameterBinderTest {
  private final PipelinePlan plan =
      plan(
          List.of(
              new Parameter("rmseThreshold", ValueType.DOUBLE, 2.5, null),
              new Parameter("epochs", ValueType.INTEGER, 60, null),
              new Parameter("source", ValueType.STRING, "a.csv", null),
              new Parameter("dryRun", ValueType.BOOLEAN, false, null)),
          ingest("ingest"));

  private static PlanValidationException rejects(PipelinePlan plan, Map<String, Object> values) {
    return assertThrows(
        PlanValidationException.class, () -> PipelineCompiler.bindParameters(plan, values));
  }

  @Test
  void fillsDefaultsInDeclarationOrder() {
    Map<String, Object> bound = PipelineCompiler.bindParameters(plan, null);
    assertEquals(
        Map.of("rmseThreshold", 2.5, "epochs", 60, "source", "a.csv", "dryRun", false), bound);
    assertEquals(
        List.of("rmseThreshold", "epochs", "source", "dryRun"), List.copyOf(bound.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> bound.put("x", 1));
  }

  @Test
  void parsesCommandLineStringsToTheDeclaredTypes() {
    Map<String, Object> bound =
        PipelineCompiler.bindParameters(
            plan, Map.of("rmseThreshold", "2.0", "epochs", " 3 ", "dryRun", "TRUE", "source", "b"));
    assertEquals(2.0, bound.get("rmseThreshold"));
    assertEquals(3, bound.get("epochs"));
    assertEquals(Boolean.TRUE, bound.get("dryRun"));
    assertEquals("b", bound.get("source"));
  }

  @Test
  void acceptsJsonIntegersForDoublesAndWholeDoublesForIntegers() {
    Map<String, Object> bound =
        PipelineCompiler.bindParameters(plan, Map.of("rmseThreshold", 3, "epochs", 40.0));
    assertEquals(3.0, bound.get("rmseThreshold"));
    assertEquals(40, bound.get("epochs"));
    assertEquals(
        5_000_000_000L,
        PipelineCompiler.bindParameters(plan, Map.of("epochs", 5_000_000_000L)).get("epochs"));
  }

  @Test
  void rejectsAFractionForAnInteger() {
    PlanValidationException e = rejects(plan, Map.of("epochs", 2.5));
    Problem problem = e.problems().get(0);
    assertEquals(Rules.INVALID_PARAMETER, problem.rule());
    assertNull(problem.step());
    assertTrue(problem.message().contains("'epochs'"), problem.message());
    assertTrue(problem.message().contains("2.5"), problem.message());
    assertTrue(problem.message().contains("integer"), problem.message());
    assertTrue(e.parametersOnly());
  }

  @Test
  void rejectsValuesThatDoNotParse() {
    PlanValidationException e =
        rejects(
            plan, Map.of("rmseThreshold", "abc", "dryRun", "yes", "source", 5, "epochs", "NaN"));
    assertEquals(4, e.problems().size(), e.problems()::toString);
    e.problems().forEach(p -> assertEquals(Rules.INVALID_PARAMETER, p.rule()));
  }

  @Test
  void rejectsAnUnknownParameterSuggestingTheClosest() {
    Problem problem = rejects(plan, Map.of("rmseTreshold", 2.0)).problems().get(0);
    assertEquals(Rules.UNKNOWN_PARAMETER, problem.rule());
    assertTrue(problem.message().contains("did you mean 'rmseThreshold'?"), problem.message());
    assertTrue(problem.message().contains("epochs (integer)"), problem.message());
  }

  @Test
  void rejectsARequiredParameterThatIsNotSet() {
    PipelinePlan required =
        plan(List.of(new Parameter("modelName", ValueType.STRING, null, "name")), ingest("i"));
    Map<String, Object> values = new HashMap<>();
    values.put("modelName", null);
    Problem problem = rejects(required, values).problems().get(0);
    assertEquals(Rules.MISSING_PARAMETER, problem.rule());
    assertTrue(problem.message().contains("'modelName'"), problem.message());
    assertEquals(
        Map.of("modelName", "m"),
        PipelineCompiler.bindParameters(required, Map.of("modelName", "m")));
  }

  @Test
  void reportsEveryBindingProblemAtOnce() {
    PlanValidationException e = rejects(plan, Map.of("epochs", "many", "typo", 1, "other", 2));
    assertEquals(
        List.of(Rules.INVALID_PARAMETER, Rules.UNKNOWN_PARAMETER, Rules.UNKNOWN_PARAMETER),
        e.problems().stream().map(Problem::rule).toList());
  }

  @Test
  void aPlanProblemIsNotAParameterProblem() {
    PlanValidationException e =
        new PlanValidationException(
            "p", List.of(new Problem("train", Rules.UNKNOWN_PARAMETER, "reads param('x')")));
    assertFalse(e.parametersOnly());
  }
}
