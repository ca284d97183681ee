package dev.lifecycle.worker.cli;

import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.worker.temporal.EmbeddedTemporal;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.worker.temporal.SearchAttributes;
import dev.lifecycle.worker.temporal.TemporalConnection;
import dev.lifecycle.worker.temporal.TemporalSettings;
import dev.lifecycle.worker.temporal.TemporalWorkers;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepState;
import dev.lifecycle.workflows.StepStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code lifecycle demo}: the abalone pipeline end to end in one process, on an embedded Temporal
 * test server, ending with the model version it registered.
 */
public final class DemoCommand implements Command {
  static final String PIPELINE = "abalone";
  static final int PREFERRED_PORT = 7233;

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "Run the abalone pipeline end to end in this process and show what it registered";
  }

  @Override
  public String help() {
    return """
        Usage: lifecycle demo [--param k=v]... [--temporal-port T]

        Starts an embedded Temporal test server (on 7233, or a free port when 7233 is taken) and a
        worker, runs the abalone pipeline (ingest, split, features, train with DJL, evaluate, then
        register the model when its test RMSE meets rmseThreshold, else fail), prints each step as
        it changes state, and ends with the registered model version and its test RMSE.

          --param k=v         override a parameter, e.g. --param rmseThreshold=0.5 to see the
                              pipeline refuse a model
          --temporal-port T   the embedded server's preferred port (default 7233)

        Environment: LIFECYCLE_HOME (default ~/.lifecycle) holds the artifacts and the registry.
        Exit codes: 0 a model was registered, 1 the run failed, 2 bad arguments.
        """;
  }

  @Override
  public Set<String> options() {
    return new HashSet<>(Set.of("--param", "--temporal-port"));
  }

  @Override
  public int run(Args args, Console console) throws InterruptedException {
    args.noPositionals();
    PrintStream out = console.out();
    PipelineRegistry registry = PipelineRegistry.fromServiceLoader();
    PipelinePlan plan = registry.plan(PIPELINE);
    Map<String, Object> parameters = ParameterValues.parse(args.values("--param"));
    int preferred =
        args.value("--temporal-port")
            .map(
                p -> {
                  try {
                    return Integer.parseInt(p);
                  } catch (NumberFormatException e) {
                    throw new UsageException("--temporal-port must be a number, not '" + p + "'");
                  }
                })
            .orElse(PREFERRED_PORT);
    LifecycleSettings settings = LifecycleSettings.fromEnvironment(console.env());
    TemporalSettings temporalDefaults = TemporalSettings.fromEnvironment(Map.of());

    try (EmbeddedTemporal server = EmbeddedTemporal.startPreferring(preferred)) {
      TemporalSettings temporal = temporalDefaults.withAddress(server.address());
      out.printf(
          "Temporal test server on %s%s%n",
          server.address(),
          server.port() == preferred ? "" : " (port " + preferred + " is in use)");
      out.printf("Artifacts and registry under %s%n", settings.home());
      WorkflowServiceStubs stubs =
          TemporalConnection.connect(server.address(), Duration.ofSeconds(10));
      try {
        SearchAttributes.ensure(stubs, temporal.namespace());
        WorkflowClient client = TemporalConnection.client(stubs, temporal.namespace());
        try (LifecycleActivities activities = LifecycleActivities.open(settings);
            TemporalWorkers workers =
                TemporalWorkers.create(client, temporal, activities.all(), true)) {
          workers.start();
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
        }
      } finally {
        stubs.shutdown();
        stubs.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
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
