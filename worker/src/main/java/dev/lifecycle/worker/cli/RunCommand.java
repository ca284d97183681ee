package dev.lifecycle.worker.cli;

import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.worker.temporal.PipelineRuns;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@code lifecycle run NAME}: starts a run and follows it until it ends. */
public final class RunCommand implements Command {
  static final Duration POLL_INTERVAL = Duration.ofMillis(500);

  @Override
  public String name() {
    return "run";
  }

  @Override
  public String summary() {
    return "Start a run of a pipeline and show its progress until it ends";
  }

  @Override
  public String help() {
    return """
        Usage: lifecycle run NAME [--param k=v]... [--workflow-id ID] [--detach] [cluster options]

        Starts the registered pipeline NAME on the cluster and prints a line each time a step
        changes state, with its duration, metrics and summary, until the run ends. A worker must
        serve the task queue ('./lifecycle dev' or './lifecycle worker').

          --param k=v        set a parameter (repeatable); see 'lifecycle pipelines'
          --workflow-id ID   the run's workflow id (default NAME-<utc time>-<random>)
          --detach           print the workflow id and return at once
        """
        + Cluster.HELP
        + """

        Exit codes: 0 the run succeeded (or started, with --detach), 1 it failed, 2 bad arguments.
        Example: lifecycle run abalone --param rmseThreshold=2.2 --param epochs=80
        """;
  }

  @Override
  public Set<String> flags() {
    return Set.of("--detach");
  }

  @Override
  public Set<String> options() {
    Set<String> options = new HashSet<>(Cluster.OPTIONS);
    options.add("--param");
    options.add("--workflow-id");
    return options;
  }

  @Override
  public int run(Args args, Console console) throws InterruptedException {
    String name = args.single("pipeline name");
    PipelineRegistry registry = PipelineRegistry.fromServiceLoader();
    Map<String, Object> parameters = ParameterValues.parse(args.values("--param"));
    // Checked before connecting, so that a typo costs no connection and exits 2.
    registry.bind(name, parameters);
    try (Cluster cluster = Cluster.connect(args, console)) {
      PipelineRuns runs = cluster.runs(registry);
      PipelineRuns.StartedRun started =
          runs.start(name, parameters, args.value("--workflow-id").orElse(null));
      console
          .out()
          .printf(
              "Started %s (run %s) on %s, task queue %s%n",
              started.workflowId(),
              started.runId(),
              cluster.settings().address(),
              cluster.settings().taskQueue());
      if (args.flag("--detach")) {
        console.out().println("Follow it with: ./lifecycle status " + started.workflowId());
        return 0;
      }
      RunWatcher.Outcome outcome =
          new RunWatcher(runs, console.out(), POLL_INTERVAL).watch(started.workflowId());
      return outcome.succeeded() ? 0 : 1;
    }
  }
}
