package dev.lifecycle.worker.cli;

import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.Parameter;
import dev.lifecycle.dsl.plan.PipelinePlan;
import java.io.PrintStream;

/** {@code lifecycle pipelines}: the pipelines this installation knows, with their parameters. */
public final class PipelinesCommand implements Command {
  @Override
  public String name() {
    return "pipelines";
  }

  @Override
  public String summary() {
    return "List the registered pipelines and their parameters";
  }

  @Override
  public String help() {
    return """
        Usage: lifecycle pipelines

        Lists every pipeline whose definition is on the class path (listed in
        META-INF/services/dev.lifecycle.dsl.PipelineDefinition), with its parameters, types and
        defaults. Needs no server.
        """;
  }

  @Override
  public int run(Args args, Console console) {
    args.noPositionals();
    PipelineRegistry registry = PipelineRegistry.fromServiceLoader();
    PrintStream out = console.out();
    for (String name : registry.names().stream().sorted().toList()) {
      PipelinePlan plan = registry.plan(name);
      out.println(name + "  " + plan.description());
      for (Parameter p : plan.parameters()) {
        out.printf(
            "    --param %s=<%s>  %s (%s)%n",
            p.name(),
            p.type().label(),
            p.description(),
            p.required() ? "required" : "default " + p.defaultValue());
      }
    }
    return 0;
  }
}
