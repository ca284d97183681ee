package dev.lifecycle.worker.cli;

import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.compile.PlanDiagram;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import java.util.Set;

/** {@code lifecycle plan NAME [--mermaid]}: the compiled plan, without any server. */
public final class PlanCommand implements Command {
  @Override
  public String name() {
    return "plan";
  }

  @Override
  public String summary() {
    return "Print a pipeline's compiled plan as JSON (or Mermaid)";
  }

  @Override
  public String help() {
    return """
        Usage: lifecycle plan NAME [--mermaid]

        Compiles the registered pipeline NAME and prints its plan as JSON: the exact document
        'temporal workflow start --type PipelineWorkflow --input-file plan.json' accepts.

          --mermaid   print a Mermaid flowchart of the steps instead

        Exit codes: 0 printed, 2 unknown pipeline or bad arguments.
        """;
  }

  @Override
  public Set<String> flags() {
    return Set.of("--mermaid");
  }

  @Override
  public int run(Args args, Console console) {
    String name = args.single("pipeline name");
    PipelineRegistry registry = PipelineRegistry.fromServiceLoader();
    PipelinePlan plan = registry.plan(name);
    console.out().print(args.flag("--mermaid") ? PlanDiagram.mermaid(plan) : PlanJson.write(plan));
    return 0;
  }
}
