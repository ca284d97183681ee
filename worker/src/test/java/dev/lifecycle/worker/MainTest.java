package dev.lifecycle.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.examples.fashion.FashionMnistShift;
import dev.lifecycle.worker.cli.Console;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    Console console =
        new Console(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of());
    return Main.run(args, console);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void dataWritesTheFashionMnistFilesThePipelinesRead(@TempDir Path dir) {
    assertEquals(0, run("data", "fashion-mnist", "--dir", dir.toString()));

    assertTrue(out().contains(dir.toAbsolutePath().toString()), out());
    assertTrue(Files.isRegularFile(FashionMnistShift.shiftedTrainSubset(dir, 100)), out() + err());
    assertTrue(Files.isRegularFile(dir.resolve("shifted-t10k-images-idx3-ubyte.gz")), out());
  }

  @Test
  void dataRefusesAnUnknownDataSetNamingIt() {
    assertEquals(2, run("data", "mnist"));

    assertTrue(err().contains("'mnist'"), err());
    assertTrue(err().contains("fashion-mnist"), err());
  }

  @Test
  void printsThePlanAsJsonThatReadsBack() {
    assertEquals(0, run("plan", "abalone"));

    PipelinePlan plan = PlanJson.read(out());
    assertEquals("abalone", plan.name());
    assertTrue(plan.step("train").isPresent());
  }

  @Test
  void printsThePlanAsMermaid() {
    assertEquals(0, run("plan", "abalone", "--mermaid"));

    assertTrue(out().contains("train"), out());
  }

  @Test
  void unknownPipelineExitsTwoListingKnownOnes() {
    assertEquals(2, run("plan", "abalon"));

    assertTrue(err().contains("'abalon'"), err());
    assertTrue(err().contains("abalone"), err());
  }

  @Test
  void badParameterExitsTwoNamingIt() {
    assertEquals(2, run("run", "abalone", "--param", "epochs=many", "--address", "localhost:1"));

    assertTrue(err().contains("epochs"), err());
  }

  @Test
  void unknownCommandExitsTwoWithUsage() {
    assertEquals(2, run("deploy"));

    assertTrue(err().contains("Unknown command 'deploy'"), err());
    assertTrue(err().contains("demo"), err());
  }

  @Test
  void everyCommandExplainsItself() {
    for (String command :
        new String[] {"dev", "worker", "demo", "pipelines", "plan", "run", "status", "approve"}) {
      out.reset();
      assertEquals(0, run(command, "--help"), command);
      assertTrue(out().startsWith("Usage: lifecycle " + command), out());
    }
  }

  @Test
  void listsPipelinesWithTheirParameters() {
    assertEquals(0, run("pipelines"));

    assertTrue(out().contains("abalone"), out());
    assertTrue(out().contains("--param rmseThreshold=<double>"), out());
  }

  @Test
  void unreachableClusterFailsNamingTheAddress() {
    assertEquals(1, run("status", "some-run", "--address", "localhost:1"));

    assertTrue(err().contains("localhost:1"), err());
  }
}
