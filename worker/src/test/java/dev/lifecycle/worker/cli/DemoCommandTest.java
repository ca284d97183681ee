package dev.lifecycle.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.worker.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end, in this JVM: embedded Temporal, worker, DJL training, registry. */
class DemoCommandTest {
  private static final Pattern REGISTERED =
      Pattern.compile(
          "Registered abalone-age v1 — test RMSE ([0-9.]+) rings \\(threshold 2\\.5\\)");
  private static final Pattern FAILED = Pattern.compile("Test RMSE ([0-9.]+)");

  @TempDir Path home;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private int demo(String... params) {
    String[] args = new String[1 + params.length];
    args[0] = "demo";
    System.arraycopy(params, 0, args, 1, params.length);
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    return Main.run(args, new Console(stream, stream, Map.of("LIFECYCLE_HOME", home.toString())));
  }

  @Test
  void registersAModelWithinTheDefaultThresholdThenRefusesOneAboveATightThreshold() {
    int code = demo();
    String output = out.toString(StandardCharsets.UTF_8);

    assertEquals(0, code, output);
    Matcher registered = REGISTERED.matcher(output);
    assertTrue(registered.find(), output);
    double rmse = Double.parseDouble(registered.group(1));
    assertTrue(rmse >= 1.9 && rmse <= 2.5, "test RMSE " + rmse + " outside [1.9, 2.5]");
    for (String step : new String[] {"ingest", "split", "features", "train", "evaluate"}) {
      assertTrue(
          Pattern.compile("\\] " + step + "\\s+SUCCEEDED").matcher(output).find(),
          step + " not reported SUCCEEDED:\n" + output);
    }
    // The run served the model and started its monitor, watching raw Length and Whole.weight.
    assertTrue(
        Pattern.compile("\\]\\s+monitor\\s+SUCCEEDED.*monitor/abalone-age").matcher(output).find(),
        output);

    out.reset();
    code = demo("--param", "rmseThreshold=0.5");
    output = out.toString(StandardCharsets.UTF_8);

    assertEquals(1, code, output);
    assertTrue(output.contains("FAILED after"), output);
    Matcher failed = FAILED.matcher(output);
    assertTrue(failed.find(), output);
    double failedRmse = Double.parseDouble(failed.group(1));
    assertTrue(failedRmse >= 1.9 && failedRmse <= 2.5, "RMSE in message: " + failedRmse);
    assertTrue(!output.contains("Registered abalone-age"), output);
  }

  @Test
  void loopModeTakesNoParametersAndOtherModesAreRefused() {
    assertEquals(2, demo("loop", "--param", "epochs=1"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("demo loop takes no --param"));
    out.reset();
    assertEquals(2, demo("loops"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("loops"), out::toString);
  }
}
