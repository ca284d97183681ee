package dev.lifecycle.worker.cli;

import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.examples.fashion.FashionLoopPipeline;
import dev.lifecycle.worker.temporal.EmbeddedTemporal;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.worker.temporal.SearchAttributes;
import dev.lifecycle.worker.temporal.TemporalConnection;
import dev.lifecycle.worker.temporal.TemporalSettings;
import dev.lifecycle.worker.temporal.TemporalWorkers;
import dev.lifecycle.workflows.Names;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepState;
import dev.lifecycle.workflows.StepStatus;
import dev.lifecycle.workflows.monitoring.MonitoringState;
import dev.lifecycle.workflows.monitoring.MonitoringWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code lifecycle demo}: the abalone pipeline end to end in one process, on an embedded Temporal
 * test server, ending with the model version it registered. {@code lifecycle demo loop}: the
 * Fashion-MNIST monitoring → retraining loop ({@link FashionLoopSimulation}) with simulated traffic
 * and simulated annotators, ending with the served accuracy on the new camera's images before and
 * after.
 */
public final class DemoCommand implements Command {
  static final String PIPELINE = "abalone";
  static final int PREFERRED_PORT = 7233;
  static final String LOOP = "loop";

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "Run the abalone pipeline end to end in this process and show what it registered"
        + " (demo loop: the Fashion-MNIST monitoring and retraining loop, simulated traffic)";
  }

  @Override
  public String help() {
    return """
        Usage: lifecycle demo [--param k=v]... [--temporal-port T]
               lifecycle demo loop [--temporal-port T]

        Starts an embedded Temporal test server (on 7233, or a free port when 7233 is taken) and a
        worker, runs the abalone pipeline (ingest, split, features, train with DJL, evaluate, then
        register the model when its test RMSE meets rmseThreshold, else fail), prints each step as
        it changes state, and ends with the registered model version and its test RMSE.

          --param k=v         override a parameter, e.g. --param rmseThreshold=0.5 to see the
                              pipeline refuse a model
          --temporal-port T   the embedded server's preferred port (default 7233)

        demo loop: the fashion-loop example end to end (see docs/monitoring.md). A base CNN is
        pretrained; a first run has a launch sample labeled, fine-tunes and deploys the model at
        endpoint fashion with a daily monitor; then 60 simulated days of SIMULATED traffic (30 from
        the original camera, 30 from a new one), each day closed by the monitor's check (run-now);
        the drift starts a retraining run whose images SIMULATED annotators label; it deploys when
        it beats production. Prints each day and the served accuracy on the new camera's images
        per model version. Its registry and artifacts go to a new folder under
        LIFECYCLE_HOME/demo-loop. Takes a few minutes.

        Environment: LIFECYCLE_HOME (default ~/.lifecycle) holds the artifacts and the registry.
        Exit codes: 0 a model was registered (loop: the retrained model raised the served
        accuracy), 1 the run failed (loop: it did not), 2 bad arguments.
        """;
  }

  @Override
  public Set<String> options() {
    return new HashSet<>(Set.of("--param", "--temporal-port"));
  }

  @Override
  public int run(Args args, Console console) throws InterruptedException {
    List<String> positionals = args.positionals();
    if (positionals.equals(List.of(LOOP))) {
      if (!args.values("--param").isEmpty()) {
        throw new UsageException("demo loop takes no --param");
      }
      return runLoop(args, console);
    }
    args.noPositionals();
    PrintStream out = console.out();
    PipelineRegistry registry = PipelineRegistry.fromServiceLoader();
    PipelinePlan plan = registry.plan(PIPELINE);
    Map<String, Object> parameters = ParameterValues.parse(args.values("--param"));
    int preferred = preferredPort(args);
    LifecycleSettings settings = LifecycleSettings.fromEnvironment(console.env());
    return withEmbeddedWorker(
        preferred,
        settings,
        out,
        List.of(String.format("Artifacts and registry under %s", settings.home())),
        (client, temporal, activities) -> {
          PipelineRuns runs = new PipelineRuns(client, temporal.taskQueue(), registry);
          PipelineRuns.StartedRun started = runs.start(PIPELINE, parameters, null);
          out.printf("Started %s%n", started.workflowId());
          RunWatcher.Outcome outcome =
              new RunWatcher(runs, out, RunCommand.POLL_INTERVAL).watch(started.workflowId());
          if (!outcome.succeeded()) {
            return 1;
          }
          out.println(summary(plan, outcome.status()));
          return 0;
        });
  }

  /** What a demo does once the embedded server and a worker run: its exit code. */
  @FunctionalInterface
  private interface Demo {
    int run(WorkflowClient client, TemporalSettings temporal, LifecycleActivities activities)
        throws InterruptedException;
  }

  /**
   * Starts the Temporal test server (on {@code preferred} if free), prints where it and the stores
   * are ({@code intro} lines after the server's), opens the activities on {@code settings}, starts
   * a worker, runs {@code demo} and shuts everything down again.
   */
  private static int withEmbeddedWorker(
      int preferred, LifecycleSettings settings, PrintStream out, List<String> intro, Demo demo)
      throws InterruptedException {
    TemporalSettings temporalDefaults = TemporalSettings.fromEnvironment(Map.of());
    try (EmbeddedTemporal server = EmbeddedTemporal.startPreferring(preferred)) {
      TemporalSettings temporal = temporalDefaults.withAddress(server.address());
      out.printf(
          "Temporal test server on %s%s%n",
          server.address(),
          server.port() == preferred ? "" : " (port " + preferred + " is in use)");
      intro.forEach(out::println);
      WorkflowServiceStubs stubs =
          TemporalConnection.connect(server.address(), Duration.ofSeconds(10));
      try {
        SearchAttributes.ensure(stubs, temporal.namespace());
        WorkflowClient client = TemporalConnection.client(stubs, temporal.namespace());
        try (LifecycleActivities activities = LifecycleActivities.open(settings);
            TemporalWorkers workers =
                TemporalWorkers.create(client, temporal, activities.all(), true)) {
          workers.start();
          return demo.run(client, temporal, activities);
        }
      } finally {
        stubs.shutdown();
        stubs.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static int preferredPort(Args args) {
    return args.value("--temporal-port")
        .map(
            p -> {
              try {
                return Integer.parseInt(p);
              } catch (NumberFormatException e) {
                throw new UsageException("--temporal-port must be a number, not '" + p + "'");
              }
            })
        .orElse(PREFERRED_PORT);
  }

  /**
   * The fashion-loop example with simulated traffic and annotators, in a new folder under {@code
   * LIFECYCLE_HOME/demo-loop} so that an earlier demo's registry (its production version) does not
   * decide this one's deployments.
   */
  private int runLoop(Args args, Console console) throws InterruptedException {
    PrintStream out = console.out();
    int preferred = preferredPort(args);
    LifecycleSettings base = LifecycleSettings.fromEnvironment(console.env());
    Path home =
        base.home()
            .resolve("demo-loop")
            .resolve(
                java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                    .format(java.time.LocalDateTime.now()));
    LifecycleSettings settings = LifecycleSettings.of(home, null, null, null);
    return withEmbeddedWorker(
        preferred,
        settings,
        out,
        List.of(
            String.format("Artifacts and registry of this demo under %s", home),
            "SIMULATED: the clients sending images, the three annotators labeling them, and the"
                + " days (each ends with the monitor's run-now check). Real: every run, labeling"
                + " job, training, registry, endpoint, data capture and monitor check."),
        (client, temporal, activities) -> {
          FashionLoopSimulation simulation =
              new FashionLoopSimulation(
                  client,
                  temporal.taskQueue(),
                  activities,
                  home.resolve("data"),
                  FashionLoopSimulation.Sizes.DEFAULT,
                  out);
          MonitoringWorkflow monitor =
              client.newWorkflowStub(
                  MonitoringWorkflow.class, Names.monitorId(FashionLoopPipeline.ENDPOINT));
          FashionLoopSimulation.Outcome outcome = simulation.run(() -> checkNow(monitor));
          return loopSummary(outcome, out);
        });
  }

  /**
   * Ends a simulated day: the monitor checks the window since its last check, now; returns once the
   * check, its alert and any retraining run it starts are done.
   */
  private static void checkNow(MonitoringWorkflow monitor) throws InterruptedException {
    long before = monitor.status().checks();
    monitor.runNow();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (true) {
      MonitoringState state = monitor.status();
      if (state.checks() > before && !state.checking()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The monitor did not check within 5 minutes");
      }
      Thread.sleep(100);
    }
  }

  static int loopSummary(FashionLoopSimulation.Outcome outcome, PrintStream out) {
    int v1 = outcome.launchVersion();
    int v2 = outcome.productionVersion();
    out.printf(
        "Alerts on days %s; retraining runs %s; fashion v%d in production%n",
        outcome.alertDays(), outcome.retrainRuns().keySet(), v2);
    out.printf(
        "Served accuracy on the new camera's images (SIMULATED traffic): fashion v%d %s (%d"
            + " requests)%s%n",
        v1,
        RunWatcher.number(outcome.accuracy(v1)),
        outcome.served(v1),
        v2 == v1
            ? ""
            : String.format(
                " -> fashion v%d %s (%d requests)",
                v2, RunWatcher.number(outcome.accuracy(v2)), outcome.served(v2)));
    return v2 != v1 && outcome.accuracy(v2) > outcome.accuracy(v1) ? 0 : 1;
  }

  /**
   * {@code Registered abalone-age v1 — test RMSE 2.14 rings (threshold 2.5)}, or what the run did
   * instead when it registered nothing.
   */
  static String summary(PipelinePlan plan, RunStatus status) {
    Optional<Double> rmse =
        status.steps().stream()
            .filter(s -> s.metrics().containsKey("rmse"))
            .map(s -> s.metrics().get("rmse"))
            .findFirst();
    Object threshold = status.parameters().get("rmseThreshold");
    String metric =
        rmse.map(
                r ->
                    " — test RMSE "
                        + RunWatcher.number(r)
                        + " rings"
                        + (threshold == null ? "" : " (threshold " + threshold + ")"))
            .orElse("");
    List<Register> registers =
        plan.allSteps().stream()
            .filter(Register.class::isInstance)
            .map(Register.class::cast)
            .toList();
    for (Register register : registers) {
      StepStatus step = status.step(register.name());
      if (step != null && step.state() == StepState.SUCCEEDED) {
        Object version = step.values().get("version");
        if (!(version instanceof Number n)) {
          throw new IllegalStateException(
              "Step '" + register.name() + "' succeeded but reported no version: " + step.values());
        }
        return "Registered " + register.modelName() + " v" + n.longValue() + metric;
      }
    }
    return "The run registered no model" + metric;
  }
}
