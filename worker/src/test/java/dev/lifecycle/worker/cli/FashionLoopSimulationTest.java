package dev.lifecycle.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.activities.monitoring.CaptureActivitiesImpl;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.examples.fashion.FashionLoopPipeline;
import dev.lifecycle.examples.fashion.FashionPretrainPipeline;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.LifecycleWorkers;
import dev.lifecycle.workflows.Names;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.monitoring.MonitoringState;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole monitoring → retraining loop of {@code fashion-loop} on real activities, with time
 * skipping over 60 simulated days: 30 days of traffic from the original camera, then 30 from the
 * new one. No alert before the shift; an alert on the first day after it; exactly one retraining
 * run, on the drifted images labeled by simulated annotators, fine-tuned from production and
 * deployed because it beats production; the served accuracy on the new camera's images rises; the
 * monitor takes the retrained model's baseline and stays quiet. A further challenger that does not
 * beat production by the margin is refused and production stays.
 *
 * <p>Captured requests carry wall-clock times while the monitor asks for windows in simulated time;
 * the test's capture activity maps each simulated window to the wall-clock span of the days it
 * covers (a day's traffic is stamped at the simulated instant the day ended). Everything else is
 * the worker's own: the same activities, the same capture export.
 */
class FashionLoopSimulationTest {
  private static final String QUEUE = "fashion-loop";

  @TempDir Path home;

  @Test
  void driftRetrainsOnceFromProductionAndServedAccuracyOnTheNewCameraRises() throws Exception {
    Path data = home.resolve("data");
    PipelineRegistry pipelines =
        PipelineRegistry.of(new FashionPretrainPipeline(data), new FashionLoopPipeline(data));
    List<long[]> marks = new CopyOnWriteArrayList<>();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (LifecycleActivities activities =
            LifecycleActivities.open(LifecycleSettings.of(home, null, null, null), pipelines);
        TestWorkflowEnvironment env =
            TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder()
                    .setWorkflowClientOptions(
                        WorkflowClientOptions.newBuilder()
                            .setDataConverter(LifecycleDataConverter.create())
                            .build())
                    .build())) {
      env.registerSearchAttribute(Names.SA_PIPELINE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      env.registerSearchAttribute(Names.SA_STATE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      List<Object> implementations = new ArrayList<>();
      for (Object a : activities.all()) {
        if (!(a instanceof CaptureActivitiesImpl)) {
          implementations.add(a);
        }
      }
      implementations.add(
          new CaptureActivitiesImpl(
              activities.artifacts(),
              (endpoint, start, end, output) ->
                  activities
                      .serving()
                      .writeCaptureWindow(
                          endpoint,
                          wallClock(marks, start.toEpochMilli()),
                          wallClock(marks, end.toEpochMilli()),
                          output)));
      LifecycleWorkers.register(env.newWorker(QUEUE), implementations.toArray());
      env.start();

      FashionLoopSimulation simulation =
          new FashionLoopSimulation(
              env.getWorkflowClient(),
              QUEUE,
              activities,
              data,
              FashionLoopSimulation.Sizes.DEFAULT,
              new PrintStream(printed, true, StandardCharsets.UTF_8));
      FashionLoopSimulation.Outcome outcome =
          simulation.run(
              () -> {
                // Capture times have microseconds: a mark 2 ms after the day's last request is
                // after all of that day's rows and before the next day's.
                Thread.sleep(2);
                marks.add(new long[] {env.currentTimeMillis(), System.currentTimeMillis()});
                Thread.sleep(2);
                env.sleep(Duration.ofDays(1));
              });
      String log = printed.toString(StandardCharsets.UTF_8);
      System.out.print(log);

      assertEquals(
          List.of(31), outcome.alertDays(), "alerts only on the first new-camera day\n" + log);
      assertEquals(
          List.of("monitor/fashion/retrain-1"), List.copyOf(outcome.retrainRuns().keySet()));
      RunStatus retrain = outcome.retrainRuns().get("monitor/fashion/retrain-1");
      assertEquals(RunState.SUCCEEDED, retrain.state(), retrain.message());
      assertEquals(FashionLoopPipeline.PRODUCTION, retrain.parameters().get("baseModel"));
      assertTrue(
          retrain.step("beats-production").message().contains(" beats production fashion v1"),
          retrain.step("beats-production").message());
      assertEquals(
          ((Number) retrain.step("ingest").values().get("rows")).longValue(),
          (long) FashionLoopSimulation.Sizes.DEFAULT.requestsAfter(),
          "the retraining run gets exactly the images of the day that drifted");
      // An image whose three answers all differ has no label: a few may drop out.
      double labeled = retrain.step("label").metrics().get("labeled");
      assertTrue(labeled >= 95 && labeled <= 100, "labeled " + labeled);
      int v1 = outcome.launchVersion();
      int v2 = outcome.productionVersion();
      assertEquals(v1 + 1, v2, "the retrained model is in production");

      double before = outcome.accuracy(v1);
      double after = outcome.accuracy(v2);
      assertEquals(100, outcome.served(v1), "v1 served the first new-camera day");
      assertEquals(2900, outcome.served(v2), "v2 served every later request");
      assertTrue(
          after > before + 0.1,
          String.format("served accuracy on the new camera: v1 %.3f, v2 %.3f", before, after));

      MonitoringState monitor = outcome.monitor();
      assertEquals(60, monitor.checks());
      assertEquals(1, monitor.retrainsStarted());
      assertEquals(1, monitor.baselineUpdates(), "the retraining run replaced the baseline");
      assertEquals(1, monitor.alertsSent());

      // A challenger barely trained on the same images does not beat production by the margin.
      String images = (String) retrain.parameters().get("images");
      RunStatus challenger =
          simulation.await(
              simulation.start(
                  "fashion-loop-challenger",
                  FashionLoopPipeline.NAME,
                  Map.of(
                      "images",
                      images,
                      "testImages",
                      retrain.parameters().get("testImages"),
                      "baseModel",
                      FashionLoopPipeline.PRODUCTION,
                      "epochs",
                      1,
                      "learningRate",
                      1e-7)));
      assertEquals(RunState.FAILED, challenger.state());
      assertTrue(challenger.message().contains("does not beat production"), challenger.message());
      assertTrue(
          challenger.step("beats-production").message().contains("does not beat production"),
          challenger.step("beats-production").message());
      assertEquals(
          v2,
          activities.metadata().models().byAlias("fashion", "production").orElseThrow().version());
      System.out.printf(
          "fashion-loop: served accuracy on the new camera v%d %.3f (%d requests), v%d %.3f (%d"
              + " requests); challenger: %s%n",
          v1,
          before,
          outcome.served(v1),
          v2,
          after,
          outcome.served(v2),
          challenger.step("beats-production").message());
    }
  }

  /**
   * The wall-clock instant of simulated time {@code simulated}: the wall-clock time at which the
   * last day that ended at or before it ended; before the first day, the epoch.
   */
  private static Instant wallClock(List<long[]> marks, long simulated) {
    long wall = 0;
    for (long[] mark : marks) {
      if (mark[0] <= simulated) {
        wall = mark[1];
      }
    }
    return Instant.ofEpochMilli(wall);
  }
}
