package dev.lifecycle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.LifecycleWorkers;
import dev.lifecycle.workflows.Names;
import dev.lifecycle.workflows.PipelineWorkflow;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Interpreter overhead: the plan interpreter ({@code PipelineWorkflow}) running a chain of N
 * trivial steps, against a hand-written Temporal workflow calling the same trivial activity N
 * times, side by side on one in-memory Temporal test server. Prints median wall time per run and
 * history events per run of each, and the ratios interpreter / hand-written.
 *
 * <p>Arguments (all optional): {@code --steps N} (default 100), {@code --warmup W} (default 3 runs
 * of each), {@code --reps R} (default 7 runs of each, alternating).
 *
 * <p>The in-memory test server, not a port-bound one: both workflows still go through the whole
 * service API (gRPC over an in-process channel), history and task queues, but without loopback
 * networking, whose jitter on a small shared machine would blur a ratio meant to isolate the
 * interpreter's own cost.
 */
public final class InterpreterBench {
  private static final String QUEUE = "bench";

  private InterpreterBench() {}

  public static void main(String[] args) {
    int steps = intArg(args, "--steps", 100);
    int warmup = intArg(args, "--warmup", 3);
    int reps = intArg(args, "--reps", 7);

    PipelinePlan plan = SequencePlans.plan(steps);
    ObjectNode input = PlanJson.strict().createObjectNode();
    input.set("plan", PlanJson.strict().valueToTree(plan));
    input.putObject("parameters");

    try (TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LifecycleDataConverter.create())
                        .build())
                .build())) {
      env.registerSearchAttribute(Names.SA_PIPELINE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      env.registerSearchAttribute(Names.SA_STATE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      Worker worker = env.newWorker(QUEUE);
      LifecycleWorkers.register(worker, new TrivialDataActivities());
      worker.registerWorkflowImplementationTypes(HandWrittenWorkflowImpl.class);
      env.start();
      WorkflowClient client = env.getWorkflowClient();

      for (int i = 0; i < warmup; i++) {
        interpreter(env, client, input, steps);
        handWritten(env, client, steps);
      }
      List<Run> interpreted = new ArrayList<>();
      List<Run> written = new ArrayList<>();
      for (int i = 0; i < reps; i++) {
        interpreted.add(interpreter(env, client, input, steps));
        written.add(handWritten(env, client, steps));
      }

      double interpreterMs = median(interpreted.stream().map(Run::millis).toList());
      double writtenMs = median(written.stream().map(Run::millis).toList());
      long interpreterEvents = interpreted.get(0).events();
      long writtenEvents = written.get(0).events();
      System.out.printf(
          Locale.ROOT,
          "Interpreter overhead: %d sequential trivial steps, %d warm-up + %d alternating runs"
              + " each, in-memory Temporal test server%n",
          steps,
          warmup,
          reps);
      System.out.printf(
          Locale.ROOT, "%-28s %12s %12s %16s%n", "", "median ms", "events", "events/activity");
      print("PipelineWorkflow (plan)", interpreterMs, interpreterEvents, steps);
      print("hand-written workflow", writtenMs, writtenEvents, steps);
      List<Double> paired = new ArrayList<>();
      for (int i = 0; i < reps; i++) {
        paired.add(interpreted.get(i).millis() / written.get(i).millis());
      }
      double interpreterMin = interpreted.stream().mapToDouble(Run::millis).min().orElseThrow();
      double writtenMin = written.stream().mapToDouble(Run::millis).min().orElseThrow();
      System.out.printf(
          Locale.ROOT,
          "ratio interpreter/hand-written: time %.2f (medians), %.2f (median of back-to-back"
              + " pairs), %.2f (fastest runs); events %.2f%n",
          interpreterMs / writtenMs,
          median(paired),
          interpreterMin / writtenMin,
          (double) interpreterEvents / writtenEvents);
      System.out.printf(
          Locale.ROOT,
          "all runs ms: interpreter %s, hand-written %s%n",
          interpreted.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.millis())).toList(),
          written.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.millis())).toList());
    }
  }

  private record Run(double millis, long events) {}

  private static Run interpreter(
      TestWorkflowEnvironment env, WorkflowClient client, JsonNode input, int steps) {
    PipelineWorkflow workflow =
        client.newWorkflowStub(
            PipelineWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build());
    long start = System.nanoTime();
    RunStatus status = workflow.run(input);
    double millis = (System.nanoTime() - start) / 1e6;
    if (status.state() != RunState.SUCCEEDED || status.steps().size() != steps) {
      throw new IllegalStateException("Interpreter run did not run every step: " + status);
    }
    return new Run(millis, events(env, WorkflowStub.fromTyped(workflow).getExecution()));
  }

  private static Run handWritten(TestWorkflowEnvironment env, WorkflowClient client, int steps) {
    HandWrittenWorkflow workflow =
        client.newWorkflowStub(
            HandWrittenWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build());
    long start = System.nanoTime();
    int done = workflow.run(steps);
    double millis = (System.nanoTime() - start) / 1e6;
    if (done != steps) {
      throw new IllegalStateException("Hand-written run did " + done + " of " + steps + " steps");
    }
    return new Run(millis, events(env, WorkflowStub.fromTyped(workflow).getExecution()));
  }

  private static long events(TestWorkflowEnvironment env, WorkflowExecution execution) {
    return env.getWorkflowExecutionHistory(execution).getHistory().getEventsCount();
  }

  private static void print(String label, double millis, long events, int steps) {
    System.out.printf(
        Locale.ROOT, "%-28s %12.1f %12d %16.2f%n", label, millis, events, (double) events / steps);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        try {
          int value = Integer.parseInt(args[i + 1]);
          if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
          }
          return value;
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              name + " takes a whole number, got '" + args[i + 1] + "'", e);
        }
      }
    }
    return fallback;
  }
}
