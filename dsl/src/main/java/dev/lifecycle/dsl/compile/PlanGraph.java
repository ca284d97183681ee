package dev.lifecycle.dsl.compile;

import dev.lifecycle.dsl.plan.Condition;
import dev.lifecycle.dsl.plan.Input;
import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The dependency structure of a plan, which is how the interpreter schedules it.
 *
 * <p>Execution semantics:
 *
 * <ul>
 *   <li>A step waits for its {@linkplain #dependencies(String) dependencies}: the steps whose
 *       outputs or metrics it reads, and those it names in {@code after}. Steps whose dependencies
 *       are all done run in parallel.
 *   <li>A step inside a branch also waits for its condition's decision (its {@linkplain
 *       #parent(String) parent}); the condition decides once the steps its expression reads are
 *       done.
 *   <li>A condition completes when every step of the branch it took has completed; a step that
 *       depends on a condition (by {@code after}) therefore waits for that whole branch.
 *   <li>The steps of the branch not taken, nested conditions included, are SKIPPED when the
 *       condition decides. A skipped step counts as finished for steps that name it in {@code
 *       after}; no valid plan reads its outputs from outside its branch (the compiler's {@link
 *       Rules#BRANCH_OUTPUT} rule).
 * </ul>
 *
 * <p>Internally a condition is two nodes, its decision and its completion, so that its branch steps
 * can sit between them; that is what makes the cycle check ({@link Rules#CYCLE}) and {@link
 * #topologicalOrder()} exact. Built from any plan (unknown references are left out), but meant for
 * plans that compile.
 */
public final class PlanGraph {
  /** {@link #branch(String)} of a step in a condition's {@code then} branch. */
  public static final String THEN = "then";

  /** {@link #branch(String)} of a step in a condition's {@code otherwise} branch. */
  public static final String OTHERWISE = "otherwise";

  private final String pipeline;
  private final List<String> names;
  private final Map<String, Integer> index;
  private final Map<String, Step> steps;
  private final Map<String, Set<String>> dependencies;
  private final Map<String, String> parents;
  private final Map<String, String> branches;
  private final List<List<Integer>> successors;

  private PlanGraph(PipelinePlan plan) {
    this.pipeline = plan.name();
    List<Step> all = plan.allSteps();
    Map<String, Step> byName = new LinkedHashMap<>();
    for (Step step : all) {
      byName.putIfAbsent(step.name(), step);
    }
    this.steps = Collections.unmodifiableMap(byName);
    this.names = List.copyOf(byName.keySet());
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      positions.put(names.get(i), i);
    }
    this.index = Collections.unmodifiableMap(positions);

    Map<String, String> parentOf = new HashMap<>();
    Map<String, String> branchOf = new HashMap<>();
    collectBranches(plan.steps(), null, null, parentOf, branchOf);
    this.parents = Collections.unmodifiableMap(parentOf);
    this.branches = Collections.unmodifiableMap(branchOf);

    Map<String, Set<String>> deps = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      Step step = all.get(i);
      if (deps.containsKey(step.name())) {
        continue;
      }
      Set<String> reads = new LinkedHashSet<>();
      for (Input input : step.inputs().values()) {
        if (input.operand() instanceof OutputRef ref) {
          reads.add(ref.step());
        } else if (input.operand() instanceof MetricRef ref) {
          if (ref.step() != null) {
            reads.add(ref.step());
          } else {
            MetricProducers.unique(all, i, ref.metric()).ifPresent(reads::add);
          }
        }
      }
      reads.addAll(step.after());
      reads.retainAll(byName.keySet());
      deps.put(step.name(), Collections.unmodifiableSet(reads));
    }
    this.dependencies = Collections.unmodifiableMap(deps);
    this.successors = buildNodes();
  }

  /** The graph of {@code plan}. */
  public static PlanGraph of(PipelinePlan plan) {
    return new PlanGraph(plan);
  }

  private static void collectBranches(
      List<Step> level,
      String parent,
      String branch,
      Map<String, String> parentOf,
      Map<String, String> branchOf) {
    for (Step step : level) {
      if (parent != null) {
        parentOf.putIfAbsent(step.name(), parent);
        branchOf.putIfAbsent(step.name(), branch);
      }
      if (step instanceof Condition c) {
        collectBranches(c.then(), c.name(), THEN, parentOf, branchOf);
        collectBranches(c.otherwise(), c.name(), OTHERWISE, parentOf, branchOf);
      }
    }
  }

  /** Every step's name, branch steps included, in definition order. */
  public List<String> steps() {
    return names;
  }

  /** The step named {@code name}. */
  public Step step(String name) {
    return steps.get(require(name));
  }

  /**
   * The steps {@code step} waits for: those whose outputs or metrics it reads, and those it names
   * in {@code after}. Not its enclosing condition (see {@link #parent(String)}).
   */
  public Set<String> dependencies(String step) {
    return dependencies.get(require(step));
  }

  /** The steps that wait for {@code step}, in definition order. */
  public List<String> dependents(String step) {
    require(step);
    return names.stream().filter(n -> dependencies.get(n).contains(step)).toList();
  }

  /** The condition whose branch holds {@code step}; empty for a top-level step. */
  public Optional<String> parent(String step) {
    return Optional.ofNullable(parents.get(require(step)));
  }

  /** {@link #THEN} or {@link #OTHERWISE} for a branch step; empty for a top-level step. */
  public Optional<String> branch(String step) {
    return Optional.ofNullable(branches.get(require(step)));
  }

  /** The steps directly in one branch of {@code condition}, in definition order. */
  public List<String> branchSteps(String condition, boolean then) {
    if (!(steps.get(require(condition)) instanceof Condition c)) {
      throw new IllegalArgumentException(
          "Step '" + condition + "' of pipeline '" + pipeline + "' is not a condition");
    }
    return (then ? c.then() : c.otherwise()).stream().map(Step::name).toList();
  }

  /**
   * Every step in an order the interpreter may run them one at a time: each after its dependencies,
   * a branch step after its condition, and a step that depends on a condition after all of that
   * condition's branch steps. Ties keep definition order.
   *
   * @throws IllegalStateException if the steps form a cycle (the plan does not compile)
   */
  public List<String> topologicalOrder() {
    int nodes = successors.size();
    int[] incoming = new int[nodes];
    successors.forEach(out -> out.forEach(n -> incoming[n]++));
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int n = 0; n < nodes; n++) {
      if (incoming[n] == 0) {
        ready.add(n);
      }
    }
    List<String> order = new ArrayList<>();
    int visited = 0;
    while (!ready.isEmpty()) {
      int node = ready.poll();
      visited++;
      if (node % 2 == 0) {
        order.add(names.get(node / 2));
      }
      for (int next : successors.get(node)) {
        if (--incoming[next] == 0) {
          ready.add(next);
        }
      }
    }
    if (visited < nodes) {
      throw new IllegalStateException(
          "Pipeline '" + pipeline + "' has no execution order: steps " + cycles() + " form cycles");
    }
    return List.copyOf(order);
  }

  /**
   * Node {@code 2i} is step i's start (a condition's decision), node {@code 2i+1} its completion;
   * an edge {@code a -> b} means a must be reached before b.
   */
  private List<List<Integer>> buildNodes() {
    List<List<Integer>> out = new ArrayList<>();
    for (int n = 0; n < 2 * names.size(); n++) {
      out.add(new ArrayList<>());
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      out.get(start(i)).add(end(i));
      for (String dependency : dependencies.get(name)) {
        out.get(end(index.get(dependency))).add(start(i));
      }
      String parent = parents.get(name);
      if (parent != null) {
        int p = index.get(parent);
        out.get(start(p)).add(start(i));
        out.get(end(i)).add(end(p));
      }
    }
    return out;
  }

  private static int start(int step) {
    return 2 * step;
  }

  private static int end(int step) {
    return 2 * step + 1;
  }

  /**
   * One cycle per group of steps that wait for each other, as step names in waiting order (each
   * must finish before the next starts), the first name repeated at the end; empty when there is
   * none.
   */
  List<List<String>> cycles() {
    List<List<String>> cycles = new ArrayList<>();
    for (List<Integer> component : stronglyConnectedComponents()) {
      if (component.size() < 2) {
        continue;
      }
      int first = Collections.min(component);
      List<Integer> path = shortestCycle(first, new LinkedHashSet<>(component));
      List<String> cycle = new ArrayList<>();
      for (int node : path) {
        String name = names.get(node / 2);
        if (cycle.isEmpty() || !cycle.get(cycle.size() - 1).equals(name)) {
          cycle.add(name);
        }
      }
      if (cycle.size() > 1 && cycle.get(cycle.size() - 1).equals(cycle.get(0))) {
        cycle.remove(cycle.size() - 1);
      }
      cycle.add(cycle.get(0));
      cycles.add(List.copyOf(cycle));
    }
    return cycles;
  }

  private List<Integer> shortestCycle(int from, Set<Integer> within) {
    int[] previous = new int[successors.size()];
    Arrays.fill(previous, -1);
    Deque<Integer> queue = new ArrayDeque<>(List.of(from));
    while (!queue.isEmpty()) {
      int node = queue.poll();
      for (int next : successors.get(node)) {
        if (!within.contains(next)) {
          continue;
        }
        if (next == from) {
          List<Integer> path = new ArrayList<>();
          for (int n = node; n != from; n = previous[n]) {
            path.add(0, n);
          }
          path.add(0, from);
          path.add(from);
          return path;
        }
        if (previous[next] == -1) {
          previous[next] = node;
          queue.add(next);
        }
      }
    }
    throw new IllegalStateException("node " + from + " is not on a cycle");
  }

  /** Tarjan's algorithm, iterative so that long plans cannot overflow the stack. */
  private List<List<Integer>> stronglyConnectedComponents() {
    int nodes = successors.size();
    int[] order = new int[nodes];
    int[] low = new int[nodes];
    int[] nextEdge = new int[nodes];
    boolean[] onStack = new boolean[nodes];
    Arrays.fill(order, -1);
    Deque<Integer> stack = new ArrayDeque<>();
    List<List<Integer>> components = new ArrayList<>();
    int counter = 0;
    for (int root = 0; root < nodes; root++) {
      if (order[root] != -1) {
        continue;
      }
      Deque<Integer> calls = new ArrayDeque<>();
      order[root] = low[root] = counter++;
      stack.push(root);
      onStack[root] = true;
      calls.push(root);
      while (!calls.isEmpty()) {
        int v = calls.peek();
        List<Integer> out = successors.get(v);
        if (nextEdge[v] < out.size()) {
          int w = out.get(nextEdge[v]++);
          if (order[w] == -1) {
            order[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = true;
            calls.push(w);
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], order[w]);
          }
          continue;
        }
        calls.pop();
        if (!calls.isEmpty()) {
          int caller = calls.peek();
          low[caller] = Math.min(low[caller], low[v]);
        }
        if (low[v] == order[v]) {
          List<Integer> component = new ArrayList<>();
          int w;
          do {
            w = stack.pop();
            onStack[w] = false;
            component.add(w);
          } while (w != v);
          components.add(component);
        }
      }
    }
    components.sort((a, b) -> Integer.compare(Collections.min(a), Collections.min(b)));
    return components;
  }

  private String require(String name) {
    if (!index.containsKey(name)) {
      throw new IllegalArgumentException(
          "Pipeline '" + pipeline + "' has no step '" + name + "'. Steps: " + names);
    }
    return name;
  }
}
