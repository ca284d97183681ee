package dev.lifecycle.dsl.internal;

import dev.lifecycle.dsl.compile.PlanGraph;
import dev.lifecycle.dsl.plan.Condition;
import dev.lifecycle.dsl.plan.Deploy;
import dev.lifecycle.dsl.plan.Input;
import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.Monitor;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.Step;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws a plan as a Mermaid flowchart: one node per step labelled {@code name (kind)}, conditions
 * as diamonds with {@code then}/{@code otherwise} edges into their branch steps, a solid edge where
 * a step reads another's output or metric and a dotted one where it only runs {@code after} it.
 */
public final class PlanRenderer {
  /** Words Mermaid's flowchart parser takes as keywords, so they cannot be node ids. */
  private static final Set<String> KEYWORDS =
      Set.of(
          "end",
          "graph",
          "subgraph",
          "flowchart",
          "style",
          "class",
          "classdef",
          "click",
          "linkstyle",
          "direction",
          "default",
          "call",
          "href");

  private PlanRenderer() {}

  /** The Mermaid source, ending in a newline. */
  public static String mermaid(PipelinePlan plan) {
    PlanGraph graph = PlanGraph.of(plan);
    Map<String, String> ids = ids(graph);
    StringBuilder out = new StringBuilder("flowchart TD\n");
    for (String name : graph.steps()) {
      Step step = graph.step(name);
      String label = escape(name + " (" + step.kind() + detail(step) + ")");
      boolean diamond = step instanceof Condition;
      out.append("  ")
          .append(ids.get(name))
          .append(diamond ? "{\"" : "[\"")
          .append(label)
          .append(diamond ? "\"}" : "\"]")
          .append('\n');
    }
    for (String name : graph.steps()) {
      Step step = graph.step(name);
      Set<String> reads = reads(step);
      for (String dependency : graph.dependencies(name)) {
        out.append("  ")
            .append(ids.get(dependency))
            .append(reads.contains(dependency) ? " --> " : " -.-> ")
            .append(ids.get(name))
            .append('\n');
      }
      if (step instanceof Condition) {
        branchEdges(out, graph, ids, name, true);
        branchEdges(out, graph, ids, name, false);
      }
    }
    return out.toString();
  }

  private static void branchEdges(
      StringBuilder out, PlanGraph graph, Map<String, String> ids, String condition, boolean then) {
    for (String step : graph.branchSteps(condition, then)) {
      out.append("  ")
          .append(ids.get(condition))
          .append(" -->|")
          .append(then ? PlanGraph.THEN : PlanGraph.OTHERWISE)
          .append("| ")
          .append(ids.get(step))
          .append('\n');
    }
  }

  /** What a node shows beside its kind: where a deploy serves. */
  private static String detail(Step step) {
    if (step instanceof Deploy d && d.endpoint() != null) {
      return ": " + d.serving().mode().name().toLowerCase(Locale.ROOT) + " " + d.endpoint();
    }
    if (step instanceof Monitor m && m.every() != null) {
      return ": every " + m.every().toString().substring(2).toLowerCase(Locale.ROOT);
    }
    return "";
  }

  private static Set<String> reads(Step step) {
    Set<String> reads = new HashSet<>();
    for (Input input : step.inputs().values()) {
      if (input.operand() instanceof OutputRef ref) {
        reads.add(ref.step());
      } else if (input.operand() instanceof MetricRef ref && ref.step() != null) {
        reads.add(ref.step());
      }
    }
    return reads;
  }

  /** Node ids: the step name with other characters than letters, digits and '_' made '_'. */
  private static Map<String, String> ids(PlanGraph graph) {
    Map<String, String> ids = new HashMap<>();
    Set<String> used = new HashSet<>();
    for (String name : graph.steps()) {
      String base = name.replaceAll("[^A-Za-z0-9_]", "_");
      String id = base;
      for (int n = 2;
          id.isEmpty() || KEYWORDS.contains(id.toLowerCase(Locale.ROOT)) || !used.add(id);
          n++) {
        id = base + "_" + n;
      }
      ids.put(name, id);
    }
    return ids;
  }

  private static String escape(String label) {
    return label.replace("\"", "#quot;");
  }
}
