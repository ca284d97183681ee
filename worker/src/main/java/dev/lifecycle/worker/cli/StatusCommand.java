package dev.lifecycle.worker.cli;

import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepStatus;
import java.util.HashSet;
import java.util.Set;

/** {@code lifecycle status WORKFLOW_ID}: a run's state and every step's. */
public final class StatusCommand implements Command {
  @Override
  public String name() {
    return "status";
  }

  @Override
  public String summary() {
    return "Show a run's state and its steps";
  }

  @Override
  public String help() {
    return """
        Usage: lifecycle status WORKFLOW_ID [--json] [cluster options]

        Asks the run for its 'status' query: the run's state, and every step's state, duration,
        metrics and summary. The same as
        'temporal workflow query --workflow-id WORKFLOW_ID --type status'.

          --json   print the status as JSON
        """
        + Cluster.HELP;
  }

  @Override
  public Set<String> flags() {
    return Set.of("--json");
  }

  @Override
  public Set<String> options() {
    return new HashSet<>(Cluster.OPTIONS);
  }

  @Override
  public int run(Args args, Console console) throws Exception {
    String workflowId = args.single("workflow id");
    try (Cluster cluster = Cluster.connect(args, console)) {
      RunStatus status = cluster.runs(PipelineRegistry.fromServiceLoader()).status(workflowId);
      if (args.flag("--json")) {
        console
            .out()
            .println(
                PlanJson.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(status));
        return 0;
      }
      console.out().printf("%s  pipeline %s  %s%n", workflowId, status.pipeline(), status.state());
      if (status.message() != null && !status.message().isBlank()) {
        console.out().println("  " + status.message());
      }
      for (StepStatus step : status.steps()) {
        console.out().println("  " + RunWatcher.describe(step));
      }
      return 0;
    }
  }
}
