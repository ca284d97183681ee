package dev.lifecycle.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunInputTest {

  @Test
  void readsAPipelineNameWithTypedParameters() {
    RunInput input =
        RunInput.parse(
            TestPlans.json(
                "{\"pipeline\":\"abalone\",\"parameters\":{\"rmseThreshold\":2.5,\"epochs\":60,"
                    + "\"big\":12345678901,\"source\":\"a.csv\",\"dry\":true}}"));

    assertEquals("abalone", input.pipeline());
    assertNull(input.plan());
    assertEquals(
        Map.of(
            "rmseThreshold",
            2.5,
            "epochs",
            60,
            "big",
            12345678901L,
            "source",
            "a.csv",
            "dry",
            true),
        input.parameters());
    assertEquals(
        List.of("rmseThreshold", "epochs", "big", "source", "dry"),
        List.copyOf(input.parameters().keySet()));
  }

  @Test
  void readsABarePlanWithoutParameterValues() {
    RunInput input = RunInput.parse(TestPlans.tree(TestPlans.abalone().build()));

    assertEquals("abalone", input.plan().name());
    assertEquals(Map.of(), input.parameters());
  }

  @Test
  void namesEveryUnknownField() {
    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class,
            () -> RunInput.parse(TestPlans.json("{\"pipeline\":\"a\",\"params\":{},\"x\":1}")));

    assertEquals(FailureTypes.INVALID_INPUT, failure.getType());
    assertTrue(failure.getOriginalMessage().startsWith("Unknown fields ['params', 'x']"));
  }

  @Test
  void refusesAPlanOfAnotherSchemaVersion() {
    var plan =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            TestPlans.tree(TestPlans.abalone().build());
    plan.put("schemaVersion", 99);

    ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> RunInput.parse(plan));

    assertEquals(FailureTypes.INVALID_PLAN, failure.getType());
    assertTrue(failure.getOriginalMessage().contains("schemaVersion 99"));
  }

  @Test
  void refusesAnIntegerTooLargeForALong() {
    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class,
            () ->
                RunInput.parse(
                    TestPlans.json(
                        "{\"pipeline\":\"a\",\"parameters\":{\"n\":123456789012345678901234}}")));

    assertEquals(FailureTypes.INVALID_PARAMETER, failure.getType());
    assertTrue(failure.getOriginalMessage().contains("Parameter 'n'"));
  }
}
