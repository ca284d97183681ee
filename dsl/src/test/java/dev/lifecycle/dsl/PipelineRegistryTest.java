package dev.lifecycle.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.compile.PlanValidationException;
import dev.lifecycle.dsl.compile.Rules;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PipelineRegistryTest {

  /** A two-step pipeline named {@code name} whose define() calls are counted. */
  static final class Small implements PipelineDefinition {
    final String name;
    final AtomicInteger defines = new AtomicInteger();

    Small(String name) {
      this.name = name;
    }

    @Override
    public Pipeline define() {
      defines.incrementAndGet();
      Pipeline p = Pipeline.named(name);
      p.intParam("seed", 1, "seed");
      var raw = p.ingest("ingest").csv("data.csv").dataset();
      p.split("split", raw);
      return p;
    }
  }

  /** Another class defining a pipeline of the same name. */
  static final class Clash implements PipelineDefinition {
    @Override
    public Pipeline define() {
      return new Small("churn").define();
    }
  }

  /** A pipeline that breaks a rule. */
  static final class Broken implements PipelineDefinition {
    @Override
    public Pipeline define() {
      Pipeline p = Pipeline.named("broken");
      p.split("split", p.ingest("ingest").csv("a.csv").dataset()).ratios(0.5, 0.5, 0.5);
      return p;
    }
  }

  @Test
  void listsNamesSorted() {
    assertEquals(
        List.of("abalone", "churn", "zebra"),
        PipelineRegistry.of(new Small("zebra"), new Small("abalone"), new Small("churn")).names());
  }

  @Test
  void compilesEachPlanOnce() {
    Small small = new Small("churn");
    PipelineRegistry registry = PipelineRegistry.of(small);
    assertSame(registry.plan("churn"), registry.plan("churn"));
    assertEquals(2, small.defines.get(), "one define() for the name, one for the plan");
  }

  @Test
  void bindsParametersToThePlan() {
    BoundPlan run = PipelineRegistry.of(new Small("churn")).bind("churn", Map.of("seed", "9"));
    assertEquals("churn", run.plan().name());
    assertEquals(Map.of("seed", 9), run.parameters());
  }

  @Test
  void rejectsAnUnknownNameSuggestingTheClosest() {
    PipelineRegistry registry = PipelineRegistry.of(new Small("churn"), new Small("abalone"));
    UnknownPipelineException e =
        assertThrows(UnknownPipelineException.class, () -> registry.bind("abalon", Map.of()));
    assertEquals("abalon", e.pipeline());
    assertEquals(List.of("abalone", "churn"), e.known());
    assertTrue(e.getMessage().contains("did you mean 'abalone'?"), e.getMessage());
    assertTrue(e.getMessage().contains("[abalone, churn]"), e.getMessage());
  }

  @Test
  void rejectsTwoDefinitionsWithOneNameNamingBothClasses() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> PipelineRegistry.of(new Small("churn"), new Clash()));
    assertTrue(e.getMessage().contains("'churn'"), e.getMessage());
    assertTrue(e.getMessage().contains(Small.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains(Clash.class.getName()), e.getMessage());
  }

  @Test
  void reportsABrokenPipelineOnlyWhenItIsAskedFor() {
    PipelineRegistry registry = PipelineRegistry.of(new Broken(), new Small("churn"));
    assertEquals("churn", registry.plan("churn").name());
    PlanValidationException e =
        assertThrows(PlanValidationException.class, () -> registry.plan("broken"));
    assertEquals(Rules.INVALID_VALUE, e.problems().get(0).rule());
  }

  @Test
  void findsNothingWhenNoDefinitionIsListed() {
    ClassLoader empty = new ClassLoader(null) {};
    assertEquals(List.of(), PipelineRegistry.fromServiceLoader(empty).names());
  }
}
