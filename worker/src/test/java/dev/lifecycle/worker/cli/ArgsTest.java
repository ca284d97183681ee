package dev.lifecycle.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {
  private static Args parse(String... tokens) {
    return Args.parse(List.of(tokens), Set.of("--detach"), Set.of("--param", "--address"));
  }

  @Test
  void readsPositionalsFlagsAndRepeatedOptions() {
    Args args = parse("abalone", "--param", "epochs=3", "--param=rmseThreshold=2.2", "--detach");

    assertEquals("abalone", args.single("pipeline name"));
    assertEquals(List.of("epochs=3", "rmseThreshold=2.2"), args.values("--param"));
    assertTrue(args.flag("--detach"));
    assertEquals(Optional.empty(), args.value("--address"));
  }

  @Test
  void lastValueOfAnOptionWins() {
    assertEquals(
        Optional.of("b:2"), parse("--address", "a:1", "--address", "b:2").value("--address"));
  }

  @Test
  void rejectsUnknownOptionNamingIt() {
    UsageException e = assertThrows(UsageException.class, () -> parse("x", "--parm", "a=1"));
    assertTrue(e.getMessage().contains("'--parm'"), e.getMessage());
  }

  @Test
  void rejectsOptionWithoutValue() {
    UsageException e = assertThrows(UsageException.class, () -> parse("x", "--address"));
    assertTrue(e.getMessage().contains("--address"), e.getMessage());
  }

  @Test
  void rejectsMissingAndExtraPositionals() {
    assertThrows(UsageException.class, () -> parse().single("pipeline name"));
    assertThrows(UsageException.class, () -> parse("a", "b").single("pipeline name"));
  }

  @Test
  void splitsParametersAndRejectsMalformedOnes() {
    assertEquals(
        Map.of("epochs", "3", "source", "a=b.csv"),
        ParameterValues.parse(List.of("epochs=3", "source=a=b.csv")));
    assertThrows(UsageException.class, () -> ParameterValues.parse(List.of("epochs")));
    assertThrows(UsageException.class, () -> ParameterValues.parse(List.of("a=1", "a=2")));
  }
}
