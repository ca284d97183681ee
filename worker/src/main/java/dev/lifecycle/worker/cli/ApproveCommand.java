package dev.lifecycle.worker.cli;

import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.workflows.ApprovalDecision;
import java.util.HashSet;
import java.util.Set;

/** {@code lifecycle approve WORKFLOW_ID}: answers a waiting approval gate. */
public final class ApproveCommand implements Command {
  @Override
  public String name() {
    return "approve";
  }

  @Override
  public String summary() {
    return "Approve (or reject) a run waiting at an approval gate";
  }

  @Override
  public String help() {
    return """
        Usage: lifecycle approve WORKFLOW_ID [--step S] [--reject] [--approver A] [--comment C]
                                 [cluster options]

        Sends the 'approve' update to the run. The run checks it first: an approval for a gate
        that is not waiting is refused with the reason, and changes nothing.

          --step S       the gate (may be left out when exactly one gate waits)
          --reject       reject instead: the run fails at the gate
          --approver A   who decides (default: the user name)
          --comment C    why
        """
        + Cluster.HELP;
  }

  @Override
  public Set<String> flags() {
    return Set.of("--reject");
  }

  @Override
  public Set<String> options() {
    Set<String> options = new HashSet<>(Cluster.OPTIONS);
    options.addAll(Set.of("--step", "--approver", "--comment"));
    return options;
  }

  @Override
  public int run(Args args, Console console) {
    String workflowId = args.single("workflow id");
    ApprovalDecision decision =
        new ApprovalDecision(
            args.value("--step").orElse(null),
            !args.flag("--reject"),
            args.value("--approver").orElse(System.getProperty("user.name")),
            args.value("--comment").orElse(null));
    try (Cluster cluster = Cluster.connect(args, console)) {
      ApprovalDecision accepted =
          cluster.runs(PipelineRegistry.fromServiceLoader()).approve(workflowId, decision);
      console
          .out()
          .printf(
              "%s step '%s' of %s%n",
              accepted.isApproval() ? "Approved" : "Rejected",
              accepted.step() == null ? decision.step() : accepted.step(),
              workflowId);
      return 0;
    }
  }
}
