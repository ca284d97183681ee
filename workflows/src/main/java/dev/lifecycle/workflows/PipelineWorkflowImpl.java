package dev.lifecycle.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.dsl.compile.PipelineCompiler;
import dev.lifecycle.dsl.compile.PlanGraph;
import dev.lifecycle.dsl.compile.PlanValidationException;
import dev.lifecycle.dsl.plan.Approval;
import dev.lifecycle.dsl.plan.BatchTransform;
import dev.lifecycle.dsl.plan.Condition;
import dev.lifecycle.dsl.plan.Deploy;
import dev.lifecycle.dsl.plan.Evaluate;
import dev.lifecycle.dsl.plan.Expr;
import dev.lifecycle.dsl.plan.Fail;
import dev.lifecycle.dsl.plan.Features;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.Input;
import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.Monitor;
import dev.lifecycle.dsl.plan.Operand;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.ParamRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.RetrySpec;
import dev.lifecycle.dsl.plan.Split;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.dsl.plan.StepOptions;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.CompiledRun;
import dev.lifecycle.workflows.activities.DataActivities;
import dev.lifecycle.workflows.activities.DeploymentActivities;
import dev.lifecycle.workflows.activities.EvaluationActivities;
import dev.lifecycle.workflows.activities.MonitoringActivities;
import dev.lifecycle.workflows.activities.PlanActivities;
import dev.lifecycle.workflows.activities.ProductionModel;
import dev.lifecycle.workflows.activities.RegistryActivities;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import dev.lifecycle.workflows.activities.VersionApproval;
import dev.lifecycle.workflows.labeling.LabelingInput;
import dev.lifecycle.workflows.labeling.LabelingWorkflow;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.converter.DataConverterException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.worker.WorkflowImplementationOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.CompletablePromise;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The plan interpreter. Reads the run's input (a registered pipeline's name, compiled in an
 * activity so the plan lands in history, or a whole plan, compiled here), then runs every step as
 * soon as the steps it depends on are done ({@link PlanGraph}): activity steps through the activity
 * contracts, conditions, approval gates and fail steps in workflow code.
 *
 * <p>Register it with {@link #implementationOptions()} (or {@link LifecycleWorkers}), so that an
 * input the data converter cannot read fails the run instead of retrying its first workflow task
 * for ever.
 *
 * <p>Durable-code rules kept here: decisions only iterate lists and insertion-ordered maps; time is
 * {@link Workflow#currentTimeMillis()}; every activity is one schedule/start/complete triple, and
 * search attributes are upserted only when their value changes.
 */
public class PipelineWorkflowImpl implements PipelineWorkflow {

  /** Keyword search attribute with the pipeline's name. */
  public static final SearchAttributeKey<String> PIPELINE_KEY =
      SearchAttributeKey.forKeyword(Names.SA_PIPELINE);

  /** Keyword search attribute with the run's {@link RunState}. */
  public static final SearchAttributeKey<String> STATE_KEY =
      SearchAttributeKey.forKeyword(Names.SA_STATE);

  /** Heartbeat timeout of training steps that set none: training heartbeats every epoch. */
  static final Duration TRAINING_HEARTBEAT_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Compiling a registered pipeline is quick and local; retries only cover a worker that died or a
   * transient fault, never a plan or parameter the user must fix.
   */
  static final ActivityOptions COMPILE_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofSeconds(30))
                  .setMaximumAttempts(5)
                  .setDoNotRetry(FailureTypes.NON_RETRYABLE)
                  .build())
          .build();

  /**
   * The value a register step's task carries when the run's success criteria have been judged: true
   * when they are met. The registry records it as the metric {@code success_criteria_met}.
   */
  public static final String SUCCESS_CRITERIA_MET = "successCriteriaMet";

  private static final Logger log = Workflow.getLogger(PipelineWorkflowImpl.class);

  private String pipeline;
  private String planHash;
  private RunState state = RunState.RUNNING;
  private RunState upsertedState;
  private String message;
  private Map<String, Object> parameters = Map.of();
  private long startedAt;
  private Long endedAt;

  private PipelinePlan plan;
  private PlanGraph graph;
  private RunInfo runInfo;
  private final Map<String, StepRecord> records = new LinkedHashMap<>();
  private final Map<String, CompletablePromise<Void>> finished = new HashMap<>();
  private final Map<String, CancellationScope> running = new LinkedHashMap<>();
  private final Map<StubKey, Object> stubs = new HashMap<>();
  private final Set<String> waitingGates = new LinkedHashSet<>();
  private final Map<String, ApprovalDecision> decisions = new HashMap<>();
  private final Set<String> decidedInRegistry = new LinkedHashSet<>();
  private final Map<String, VersionApproval> gateVersions = new HashMap<>();
  private final Map<String, VersionApproval> earlyRegistryDecisions = new LinkedHashMap<>();
  private RunFailure failure;
  private RuntimeException bug;
  private CriteriaStatus criteria;

  /**
   * The latest progress per step, reported by the training activity with the {@code
   * training-progress} signal. Why a signal: workflow code cannot read an activity's heartbeat
   * details, and the issue wants progress in the {@code status} query (which the Temporal CLI, the
   * REST API and the run page all read). The activity signals at most once per epoch and at most
   * once per interval, so the history grows by a bounded few events per epoch; the handler only
   * stores the report, so it changes no command and old histories replay unchanged.
   */
  private final Map<String, StepProgress> progress = new HashMap<>();

  /**
   * The options {@code PipelineWorkflowImpl} must be registered with: a {@link
   * DataConverterException} (an input that is not JSON, or not {@code json/plain}) fails the run at
   * once. Without it the first workflow task would fail and be retried for ever, leaving the run
   * RUNNING. It applies as well to a step result the converter cannot read, which no retry would
   * fix either.
   */
  public static WorkflowImplementationOptions implementationOptions() {
    return WorkflowImplementationOptions.newBuilder()
        .setFailWorkflowExceptionTypes(DataConverterException.class)
        .build();
  }

  @Override
  public RunStatus run(JsonNode input) {
    startedAt = Workflow.currentTimeMillis();
    upsertState();
    CompiledRun compiled;
    try {
      compiled = prepare(input);
    } catch (ApplicationFailure e) {
      throw failRun(e.getOriginalMessage(), e.getType());
    }
    plan = compiled.plan();
    planHash = compiled.planHash();
    parameters = compiled.parameters();
    setPipeline(plan.name());
    graph = PlanGraph.of(plan);
    for (Step step : plan.allSteps()) {
      records.put(step.name(), new StepRecord(step, graph.parent(step.name()).orElse(null)));
      finished.put(step.name(), Workflow.newPromise());
    }
    if (plan.successCriteria() != null) {
      criteria =
          new CriteriaStatus(
              plan.successCriteria().describe(),
              CriteriaStatus.PENDING,
              "Waiting for " + missingCriteriaMetrics());
    }
    WorkflowInfo info = Workflow.getInfo();
    runInfo = new RunInfo(info.getWorkflowId(), info.getRunId(), pipeline, planHash, parameters);

    for (Step step : plan.steps()) {
      launch(step);
    }
    try {
      Workflow.await(() -> failure != null || bug != null || allFinished(plan.steps()));
    } catch (CanceledFailure e) {
      cancelRun();
      throw e;
    }
    if (bug != null) {
      // A defect in this code, not in the plan: fail the workflow task so that a fixed worker can
      // carry on from history.
      throw bug;
    }
    if (failure != null) {
      throw failRun(failure.message(), failure.type());
    }
    long skipped = records.values().stream().filter(r -> r.state == StepState.SKIPPED).count();
    message =
        "Succeeded: "
            + (records.size() - skipped)
            + " steps ran"
            + (skipped == 0 ? "" : ", " + skipped + " skipped")
            + criteriaSummary();
    endedAt = Workflow.currentTimeMillis();
    state = RunState.SUCCEEDED;
    upsertState();
    return status();
  }

  @Override
  public RunStatus status() {
    List<StepStatus> steps = new ArrayList<>(records.size());
    for (StepRecord record : records.values()) {
      steps.add(record.toStatus(progress.get(record.name)));
    }
    RunState shown = state;
    if (state == RunState.RUNNING
        && steps.stream().anyMatch(s -> s.state() == StepState.WAITING_LABELS)) {
      shown = RunState.WAITING_LABELS;
    }
    return new RunStatus(
        pipeline, planHash, shown, message, parameters, steps, startedAt, endedAt, criteria);
  }

  @Override
  public ApprovalDecision approve(ApprovalDecision decision) {
    String gate;
    try {
      gate = gateFor(decision);
    } catch (IllegalArgumentException e) {
      // Only when the state changed between validator and handler; fails this update alone.
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.INVALID_INPUT);
    }
    decisions.put(gate, decision);
    return new ApprovalDecision(
        gate, decision.isApproval(), decision.approver(), decision.comment());
  }

  @Override
  public void validateApprove(ApprovalDecision decision) {
    gateFor(decision);
  }

  @Override
  public void approveSignal(ApprovalDecision decision) {
    try {
      decisions.put(gateFor(decision), decision);
    } catch (IllegalArgumentException e) {
      // A signal cannot answer its sender; the update of the same name can.
      log.warn("Ignored approve signal {}: {}", decision, e.getMessage());
    }
  }

  @Override
  public void trainingProgress(StepProgress report) {
    if (report != null
        && report.step() != null
        && report.isNewerThan(progress.get(report.step()))) {
      progress.put(report.step(), report);
    }
  }

  @Override
  public void registryApproval(VersionApproval approval) {
    if (approval == null) {
      return;
    }
    for (String gate : waitingGates) {
      VersionApproval about = gateVersions.get(gate);
      if (about != null
          && about.modelName().equals(approval.modelName())
          && about.version() == approval.version()
          && !decisions.containsKey(gate)) {
        decidedInRegistry.add(gate);
        decisions.put(
            gate,
            new ApprovalDecision(
                gate, approval.approved(), approval.approver(), approval.comment()));
        return;
      }
    }
    if (plan != null && hasGateAbout(approval.modelName())) {
      // Decided before the gate waits (say, while a later step still runs): kept for the gate,
      // the latest decision per version.
      earlyRegistryDecisions.put(approval.modelName() + "/" + approval.version(), approval);
      return;
    }
    log.info(
        "Ignored registry approval of {} v{}: no gate of this run is about it",
        approval.modelName(),
        approval.version());
  }

  private boolean hasGateAbout(String modelName) {
    for (Step step : plan.allSteps()) {
      if (step instanceof Approval gate && modelName.equals(gate.modelName())) {
        return true;
      }
    }
    return false;
  }

  // ---- input ----

  private CompiledRun prepare(JsonNode input) {
    RunInput request = RunInput.parse(input);
    if (request.pipeline() != null) {
      setPipeline(request.pipeline());
      PlanActivities compiler = Workflow.newActivityStub(PlanActivities.class, COMPILE_OPTIONS);
      try {
        return compiler.compile(request.pipeline(), request.parameters());
      } catch (ActivityFailure e) {
        Throwable cause = e.getCause();
        if (cause instanceof ApplicationFailure a) {
          throw ApplicationFailure.newNonRetryableFailure(a.getOriginalMessage(), a.getType());
        }
        throw ApplicationFailure.newNonRetryableFailure(
            "Compiling pipeline '" + request.pipeline() + "' failed: " + describe(cause),
            FailureTypes.STEP_FAILED);
      }
    }
    PipelinePlan given = request.plan();
    setPipeline(given.name());
    PipelinePlan checked;
    try {
      checked = PipelineCompiler.compile(given);
    } catch (PlanValidationException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.INVALID_PLAN);
    }
    Map<String, Object> bound;
    try {
      bound = PipelineCompiler.bindParameters(checked, request.parameters());
    } catch (PlanValidationException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(), FailureTypes.INVALID_PARAMETER);
    }
    return new CompiledRun(checked, bound, PlanJson.hash(checked));
  }

  // ---- scheduling ----

  /** Runs {@code step} once every step it depends on has finished (succeeded or been skipped). */
  private void launch(Step step) {
    List<Promise<Void>> dependencies = new ArrayList<>();
    for (String dependency : graph.dependencies(step.name())) {
      dependencies.add(finished.get(dependency));
    }
    Promise<Void> ready =
        dependencies.isEmpty() ? Workflow.newPromise(null) : Promise.allOf(dependencies);
    ready
        .thenCompose(ignored -> start(step))
        .handle(
            (ignored, error) -> {
              if (error != null) {
                stepFailed(step, error);
              }
              return null;
            });
  }

  private Promise<Void> start(Step step) {
    if (failure != null || bug != null) {
      return Workflow.newPromise(null);
    }
    StepRecord record = records.get(step.name());
    record.state = StepState.RUNNING;
    record.startedAt = Workflow.currentTimeMillis();
    Promise<Void> outcome = step.accept(new Starter(record));
    return outcome.thenApply(
        ignored -> {
          // Judged before the dependents start, so that they (a register step) see the verdict.
          judgeCriteria();
          finished.get(step.name()).complete(null);
          return null;
        });
  }

  private boolean allFinished(List<Step> steps) {
    for (Step step : steps) {
      if (!finished.get(step.name()).isCompleted()) {
        return false;
      }
    }
    return true;
  }

  // ---- activity steps ----

  /**
   * Starts a step by kind: activity steps through their contracts; conditions, approvals and fails
   * in the workflow. A visitor, so that a new step kind does not compile until it is handled here.
   */
  private final class Starter implements Step.Visitor<Promise<Void>> {
    private final StepRecord record;

    Starter(StepRecord record) {
      this.record = record;
    }

    @Override
    public Promise<Void> ingest(Ingest step) {
      return activity(
          step, record, (o, t) -> Async.function(stub(DataActivities.class, o)::ingest, t));
    }

    @Override
    public Promise<Void> split(Split step) {
      return activity(
          step, record, (o, t) -> Async.function(stub(DataActivities.class, o)::split, t));
    }

    @Override
    public Promise<Void> features(Features step) {
      return activity(
          step, record, (o, t) -> Async.function(stub(DataActivities.class, o)::features, t));
    }

    @Override
    public Promise<Void> train(Train step) {
      return activity(
          step, record, (o, t) -> Async.function(stub(TrainingActivities.class, o)::train, t));
    }

    @Override
    public Promise<Void> evaluate(Evaluate step) {
      return activity(
          step, record, (o, t) -> Async.function(stub(EvaluationActivities.class, o)::evaluate, t));
    }

    @Override
    public Promise<Void> register(Register step) {
      return activity(
          step, record, (o, t) -> Async.function(stub(RegistryActivities.class, o)::register, t));
    }

    @Override
    public Promise<Void> batchTransform(BatchTransform step) {
      return activity(
          step,
          record,
          (o, t) -> Async.function(stub(DeploymentActivities.class, o)::batchTransform, t));
    }

    @Override
    public Promise<Void> deploy(Deploy step) {
      return activity(
          step, record, (o, t) -> Async.function(stub(DeploymentActivities.class, o)::deploy, t));
    }

    /**
     * A monitor step computes its baseline and starts {@code monitor/<endpoint>} from an activity
     * with the worker's client, not as a child: an abandoned child that continues as new hung the
     * time-skipping test server (temporalio/sdk-java #1540, #2392), and the monitor must outlive
     * the run.
     */
    @Override
    public Promise<Void> monitor(Monitor step) {
      return activity(
          step,
          record,
          (o, t) -> Async.function(stub(MonitoringActivities.class, o)::startMonitor, t));
    }

    @Override
    public Promise<Void> condition(Condition step) {
      return PipelineWorkflowImpl.this.condition(step, record);
    }

    @Override
    public Promise<Void> approval(Approval step) {
      return Async.procedure(() -> awaitApproval(step, record));
    }

    @Override
    public Promise<Void> fail(Fail step) {
      throw PipelineWorkflowImpl.this.fail(step);
    }

    /**
     * A label step waits for people, possibly for weeks: it runs as a child workflow with id {@code
     * <run id>/label/<step>}, whose history stays small however many answers come.
     */
    @Override
    public Promise<Void> label(Label step) {
      return activity(
          step,
          record,
          (o, t) -> {
            LabelingWorkflow child =
                Workflow.newChildWorkflowStub(
                    LabelingWorkflow.class,
                    ChildWorkflowOptions.newBuilder()
                        .setWorkflowId(Workflow.getInfo().getWorkflowId() + "/label/" + step.name())
                        .setTaskQueue(Workflow.getInfo().getTaskQueue())
                        .build());
            return Async.function(child::run, new LabelingInput(t, null));
          });
    }
  }

  private Promise<Void> activity(Step step, StepRecord record, ActivityCall call) {
    StepTask task = task(step);
    ActivityOptions options = activityOptions(step);
    List<Promise<StepResult>> result = new ArrayList<>(1);
    CancellationScope scope =
        Workflow.newCancellationScope(() -> result.add(call.start(options, task)));
    running.put(step.name(), scope);
    scope.run();
    return result
        .get(0)
        .thenApply(
            outcome -> {
              running.remove(step.name());
              record.succeed(outcome, Workflow.currentTimeMillis());
              return null;
            });
  }

  private ActivityOptions activityOptions(Step step) {
    StepOptions options = step.options();
    RetrySpec retry = options.retryOrDefault();
    List<String> doNotRetry = new ArrayList<>(List.of(FailureTypes.NON_RETRYABLE));
    for (String type : retry.nonRetryableErrorTypes()) {
      if (!doNotRetry.contains(type)) {
        doNotRetry.add(type);
      }
    }
    Duration heartbeat = options.heartbeatTimeout();
    if (heartbeat == null && step instanceof Train) {
      heartbeat = TRAINING_HEARTBEAT_TIMEOUT;
    }
    ActivityOptions.Builder builder =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(options.timeoutOrDefault())
            .setTaskQueue(
                options.taskQueue() == null
                    ? Workflow.getInfo().getTaskQueue()
                    : options.taskQueue())
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setMaximumAttempts(retry.maximumAttempts())
                    .setInitialInterval(retry.initialInterval())
                    .setBackoffCoefficient(retry.backoffCoefficient())
                    .setMaximumInterval(retry.maximumInterval())
                    .setDoNotRetry(doNotRetry.toArray(String[]::new))
                    .build());
    if (heartbeat != null) {
      builder.setHeartbeatTimeout(heartbeat);
    }
    return builder.build();
  }

  /** The step with its inputs resolved: artifacts by reference, scalars by value. */
  private StepTask task(Step step) {
    Map<String, ArtifactRef> artifacts = new LinkedHashMap<>();
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, Input> entry : step.inputs().entrySet()) {
      Operand operand = entry.getValue().operand();
      if (operand instanceof OutputRef ref && outputType(step, ref).isArtifact()) {
        artifacts.put(entry.getKey(), artifact(step, ref));
      } else {
        values.put(entry.getKey(), value(step, operand));
      }
    }
    if (step instanceof Register
        && criteria != null
        && !criteria.state().equals(CriteriaStatus.PENDING)) {
      // Judged already: the registry records the verdict beside the version's metrics.
      values.put(SUCCESS_CRITERIA_MET, criteria.met());
    }
    return new StepTask(runInfo, step, artifacts, values);
  }

  private ValueType outputType(Step reader, OutputRef ref) {
    ValueType type = graph.step(ref.step()).outputs().get(ref.output());
    if (type == null) {
      throw invalidPlan(
          "Step '"
              + reader.name()
              + "' reads output '"
              + ref.step()
              + "."
              + ref.output()
              + "', but step '"
              + ref.step()
              + "' has no such output. Its outputs: "
              + graph.step(ref.step()).outputs().keySet().stream().sorted().toList());
    }
    return type;
  }

  private ArtifactRef artifact(Step reader, OutputRef ref) {
    StepRecord producer = records.get(ref.step());
    ArtifactRef artifact = producer.artifacts.get(ref.output());
    if (artifact == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '"
              + reader.name()
              + "' reads artifact '"
              + ref.step()
              + "."
              + ref.output()
              + "', but step '"
              + ref.step()
              + "' ("
              + producer.state.name().toLowerCase(java.util.Locale.ROOT)
              + ") returned none. It returned: "
              + producer.artifacts.keySet().stream().sorted().toList(),
          FailureTypes.MISSING_ARTIFACT);
    }
    return artifact;
  }

  /** The scalar value of {@code operand} as {@code reader} sees it. */
  private Object value(Step reader, Operand operand) {
    if (operand instanceof Literal literal) {
      return literal.value();
    }
    if (operand instanceof ParamRef ref) {
      Object value = parameters.get(ref.name());
      if (value == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Step '"
                + reader.name()
                + "' reads parameter '"
                + ref.name()
                + "', which the run does not have. Parameters: "
                + parameters.keySet().stream().sorted().toList(),
            FailureTypes.INVALID_PARAMETER);
      }
      return value;
    }
    if (operand instanceof MetricRef ref) {
      String producer = metricProducer(reader, ref);
      Double value = records.get(producer).metrics.get(ref.metric());
      if (value == null) {
        throw invalidPlan(
            "Step '"
                + reader.name()
                + "' reads metric '"
                + ref.metric()
                + "' of step '"
                + producer
                + "', which did not report it. Its metrics: "
                + records.get(producer).metrics.keySet().stream().sorted().toList());
      }
      return value;
    }
    OutputRef ref = (OutputRef) operand;
    if (outputType(reader, ref).isArtifact()) {
      return artifact(reader, ref).uri();
    }
    StepRecord producer = records.get(ref.step());
    Object value = producer.values.get(ref.output());
    if (value == null) {
      throw invalidPlan(
          "Step '"
              + reader.name()
              + "' reads '"
              + ref.step()
              + "."
              + ref.output()
              + "', but step '"
              + ref.step()
              + "' returned no value '"
              + ref.output()
              + "'. It returned: "
              + producer.values.keySet().stream().sorted().toList());
    }
    return value;
  }

  /**
   * The step whose metric {@code ref} reads. Compiled plans name it; for a plan compiled by an
   * older compiler, the one earlier step among {@code reader}'s dependencies that produces the
   * metric.
   */
  private String metricProducer(Step reader, MetricRef ref) {
    if (ref.step() != null) {
      return ref.step();
    }
    List<String> producers =
        graph.dependencies(reader.name()).stream()
            .filter(name -> graph.step(name).producedMetrics().contains(ref.metric()))
            .toList();
    if (producers.size() != 1) {
      throw invalidPlan(
          "Step '"
              + reader.name()
              + "' reads metric '"
              + ref.metric()
              + "' without naming its step, and "
              + (producers.isEmpty() ? "no earlier step" : "several steps " + producers)
              + " produce it. Name the step: metric(\"step\", \""
              + ref.metric()
              + "\").");
    }
    return producers.get(0);
  }

  // ---- conditions ----

  /**
   * The registry as champion/challenger look-ups and approval records call it: a quick call with
   * the options of compiling, retried a few times over a transient fault.
   */
  private RegistryActivities registry() {
    return stub(
        RegistryActivities.class,
        ActivityOptions.newBuilder(COMPILE_OPTIONS)
            .setTaskQueue(Workflow.getInfo().getTaskQueue())
            .build());
  }

  /**
   * Decides a condition. A condition comparing with production first reads the production version's
   * metrics from the registry (one {@code ProductionMetrics} activity per model), so that they land
   * in history; any other condition decides at once, issuing no command.
   */
  private Promise<Void> condition(Condition condition, StepRecord record) {
    List<String> models = new ArrayList<>();
    collectProductionModels(condition.when(), models);
    if (models.isEmpty()) {
      return decide(condition, record, Map.of());
    }
    RegistryActivities registry = registry();
    Map<String, Promise<ProductionModel>> lookups = new LinkedHashMap<>();
    for (String model : models) {
      lookups.put(model, Async.function(registry::productionMetrics, model));
    }
    return Promise.allOf(List.copyOf(lookups.values()))
        .thenCompose(
            ignored -> {
              Map<String, ProductionModel> production = new LinkedHashMap<>();
              lookups.forEach((model, lookup) -> production.put(model, lookup.get()));
              return decide(condition, record, production);
            });
  }

  private static void collectProductionModels(Expr expr, List<String> into) {
    if (expr instanceof Expr.BeatsProduction beats) {
      if (beats.modelName() != null && !into.contains(beats.modelName())) {
        into.add(beats.modelName());
      }
    } else if (expr instanceof Expr.And and) {
      and.parts().forEach(p -> collectProductionModels(p, into));
    } else if (expr instanceof Expr.Or or) {
      or.parts().forEach(p -> collectProductionModels(p, into));
    } else if (expr instanceof Expr.Not not) {
      collectProductionModels(not.part(), into);
    }
  }

  private Promise<Void> decide(
      Condition condition, StepRecord record, Map<String, ProductionModel> production) {
    Evaluation evaluation =
        evaluate(
            "Condition '" + condition.name() + "'",
            condition.when(),
            o -> value(condition, o),
            production);
    boolean then = evaluation.holds();
    String branch = then ? PlanGraph.THEN : PlanGraph.OTHERWISE;
    record.values.put("taken", branch);
    record.message = branch + ": " + evaluation.explanation();
    skip(
        then ? condition.otherwise() : condition.then(),
        "Skipped: condition '"
            + condition.name()
            + "' took '"
            + branch
            + "' ("
            + evaluation.explanation()
            + ")");
    List<Step> taken = then ? condition.then() : condition.otherwise();
    List<Promise<Void>> branchFinished = new ArrayList<>();
    for (Step step : taken) {
      launch(step);
      branchFinished.add(finished.get(step.name()));
    }
    Promise<Void> all =
        branchFinished.isEmpty() ? Workflow.newPromise(null) : Promise.allOf(branchFinished);
    return all.thenApply(
        ignored -> {
          record.state = StepState.SUCCEEDED;
          record.endedAt = Workflow.currentTimeMillis();
          return null;
        });
  }

  private void skip(List<Step> steps, String reason) {
    for (Step step : steps) {
      StepRecord record = records.get(step.name());
      record.state = StepState.SKIPPED;
      record.message = reason;
      if (step instanceof Condition nested) {
        skip(nested.then(), reason);
        skip(nested.otherwise(), reason);
      }
      finished.get(step.name()).complete(null);
    }
  }

  private record Evaluation(boolean holds, String explanation) {}

  /**
   * Evaluates {@code expr} for {@code subject} (a condition, or the success criteria), reading
   * operands through {@code values} and production metrics from {@code production}.
   */
  private Evaluation evaluate(
      String subject,
      Expr expr,
      Function<Operand, Object> values,
      Map<String, ProductionModel> production) {
    if (expr instanceof Expr.SuccessCriteria used) {
      if (used.criteria() == null) {
        throw invalidPlan(subject + " uses successCriteria() but the pipeline states none.");
      }
      Evaluation part = evaluate(subject, used.criteria(), values, production);
      return new Evaluation(
          part.holds(),
          "success criteria "
              + (part.holds() ? "met" : "not met")
              + " ("
              + part.explanation()
              + ")");
    }
    if (expr instanceof Expr.BeatsProduction beats) {
      return beats(subject, beats, values, production);
    }
    if (expr instanceof Expr.Compare compare) {
      Object left = values.apply(compare.left());
      Object right = values.apply(compare.right());
      boolean holds;
      if (left instanceof Number l && right instanceof Number r) {
        holds = compare.op().test(l.doubleValue(), r.doubleValue());
      } else if (compare.op() == Expr.Op.EQ || compare.op() == Expr.Op.NE) {
        holds = Objects.equals(left, right) == (compare.op() == Expr.Op.EQ);
      } else {
        throw invalidPlan(
            subject
                + " compares "
                + show(compare.left(), left)
                + " "
                + compare.op().symbol()
                + " "
                + show(compare.right(), right)
                + ", but "
                + compare.op().symbol()
                + " compares numbers only.");
      }
      return new Evaluation(
          holds,
          show(compare.left(), left)
              + " "
              + compare.op().symbol()
              + " "
              + show(compare.right(), right));
    }
    if (expr instanceof Expr.Not not) {
      Evaluation part = evaluate(subject, not.part(), values, production);
      return new Evaluation(!part.holds(), "not (" + part.explanation() + ")");
    }
    boolean and = expr instanceof Expr.And;
    List<Expr> parts = and ? ((Expr.And) expr).parts() : ((Expr.Or) expr).parts();
    boolean holds = and;
    List<String> explanations = new ArrayList<>();
    for (Expr part : parts) {
      Evaluation evaluation = evaluate(subject, part, values, production);
      holds = and ? holds && evaluation.holds() : holds || evaluation.holds();
      explanations.add(evaluation.explanation());
    }
    return new Evaluation(holds, "(" + String.join(and ? " and " : " or ", explanations) + ")");
  }

  /**
   * Champion/challenger: the challenger's metric against the one recorded with the production
   * version. No production version, or none with that metric recorded, and the challenger wins; the
   * explanation says so, with both numbers when there are two.
   */
  private Evaluation beats(
      String subject,
      Expr.BeatsProduction beats,
      Function<Operand, Object> values,
      Map<String, ProductionModel> production) {
    String metric = beats.metric().metric();
    Object read = values.apply(beats.metric());
    if (!(read instanceof Number number)) {
      throw invalidPlan(subject + " compares metric '" + metric + "', which is not a number.");
    }
    double challenger = number.doubleValue();
    Expr.Goal goal =
        beats.goal() != null
            ? beats.goal()
            : Expr.Goal.of(metric)
                .orElseThrow(
                    () ->
                        invalidPlan(
                            subject
                                + " compares metric '"
                                + metric
                                + "' with production without saying whether lower or higher is"
                                + " better."));
    String direction = goal == Expr.Goal.MINIMIZE ? "lower is better" : "higher is better";
    String shown = metric + " " + Display.number(challenger);
    ProductionModel champion = production.get(beats.modelName());
    if (champion == null || !champion.exists()) {
      return new Evaluation(
          true,
          shown
              + " wins: model '"
              + beats.modelName()
              + "' has no production version yet, so the challenger wins");
    }
    Double recorded = champion.metrics().get(metric);
    if (recorded == null) {
      return new Evaluation(
          true,
          shown
              + " wins: production "
              + beats.modelName()
              + " v"
              + champion.version()
              + " has no '"
              + metric
              + "' recorded (it has "
              + champion.metrics().keySet().stream().sorted().toList()
              + "), so the challenger wins");
    }
    boolean holds = beats.test(challenger, recorded, goal);
    double improvement = goal == Expr.Goal.MINIMIZE ? recorded - challenger : challenger - recorded;
    return new Evaluation(
        holds,
        shown
            + (holds ? " beats" : " does not beat")
            + " production "
            + beats.modelName()
            + " v"
            + champion.version()
            + " "
            + metric
            + " "
            + Display.number(recorded)
            + " by "
            + Display.number(beats.marginOrDefault())
            + " (improvement "
            + Display.number(improvement)
            + ", "
            + direction
            + ")");
  }

  // ---- success criteria ----

  /** Judges the success criteria once every metric they read exists; no command, no history. */
  private void judgeCriteria() {
    if (criteria == null || !CriteriaStatus.PENDING.equals(criteria.state())) {
      return;
    }
    String missing = missingCriteriaMetrics();
    if (!missing.isEmpty()) {
      criteria =
          new CriteriaStatus(criteria.criteria(), CriteriaStatus.PENDING, "Waiting for " + missing);
      return;
    }
    Evaluation evaluation =
        evaluate("The success criteria", plan.successCriteria(), this::criteriaValue, Map.of());
    criteria =
        new CriteriaStatus(
            criteria.criteria(),
            evaluation.holds() ? CriteriaStatus.MET : CriteriaStatus.NOT_MET,
            evaluation.explanation());
  }

  /** The metrics the criteria read that no step has reported yet, e.g. {@code evaluate.f1}. */
  private String missingCriteriaMetrics() {
    List<String> missing = new ArrayList<>();
    plan.successCriteria()
        .forEachOperand(
            operand -> {
              if (operand instanceof MetricRef ref) {
                StepRecord producer = ref.step() == null ? null : records.get(ref.step());
                if (producer == null || !producer.metrics.containsKey(ref.metric())) {
                  String name = (ref.step() == null ? "" : ref.step() + ".") + ref.metric();
                  if (!missing.contains(name)) {
                    missing.add(name);
                  }
                }
              }
            });
    return missing.isEmpty()
        ? ""
        : "metric" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing);
  }

  private Object criteriaValue(Operand operand) {
    if (operand instanceof MetricRef ref) {
      return records.get(ref.step()).metrics.get(ref.metric());
    }
    if (operand instanceof ParamRef ref) {
      Object value = parameters.get(ref.name());
      if (value == null) {
        throw invalidPlan(
            "The success criteria read parameter '"
                + ref.name()
                + "', which the run does not have.");
      }
      return value;
    }
    if (operand instanceof Literal literal) {
      return literal.value();
    }
    throw invalidPlan(
        "The success criteria read " + operand.describe() + ", which is not a metric.");
  }

  /** The run ended with criteria still pending: say which metrics never came. */
  private void criteriaNotEvaluated() {
    if (criteria != null && CriteriaStatus.PENDING.equals(criteria.state())) {
      criteria =
          new CriteriaStatus(
              criteria.criteria(),
              CriteriaStatus.NOT_EVALUATED,
              "The run ended without " + missingCriteriaMetrics());
    }
  }

  /** E.g. {@code ; success criteria met (f1 0.91 >= minF1 0.85)}; empty without criteria. */
  private String criteriaSummary() {
    criteriaNotEvaluated();
    if (criteria == null) {
      return "";
    }
    return switch (criteria.state()) {
      case CriteriaStatus.MET -> "; success criteria met (" + criteria.explanation() + ")";
      case CriteriaStatus.NOT_MET -> "; success criteria NOT met (" + criteria.explanation() + ")";
      default -> "; success criteria not evaluated (" + criteria.explanation() + ")";
    };
  }

  /** An operand with its value, e.g. {@code rmse 2.1342} or {@code rmseThreshold 2.5}. */
  private static String show(Operand operand, Object value) {
    String shown = value instanceof String s ? "'" + s + "'" : Display.value(value);
    if (operand instanceof MetricRef ref) {
      return ref.metric() + " " + shown;
    }
    if (operand instanceof ParamRef ref) {
      return ref.name() + " " + shown;
    }
    if (operand instanceof OutputRef ref) {
      return ref.step() + "." + ref.output() + " " + shown;
    }
    return shown;
  }

  // ---- fail steps ----

  private ApplicationFailure fail(Fail fail) {
    List<String> shown = new ArrayList<>();
    for (Operand arg : fail.args()) {
      shown.add(Display.value(value(fail, arg)));
    }
    String reason = fail.format(shown);
    String parent = graph.parent(fail.name()).orElse(null);
    if (parent != null
        && graph.step(parent) instanceof Condition condition
        && comparesWithProduction(condition.when())) {
      // The fail step's own arguments cannot show production's numbers; its condition can.
      reason += " (condition '" + parent + "' took " + records.get(parent).message + ")";
    }
    return ApplicationFailure.newNonRetryableFailure(reason, FailureTypes.PIPELINE_FAILED);
  }

  private static boolean comparesWithProduction(Expr expr) {
    List<String> models = new ArrayList<>();
    collectProductionModels(expr, models);
    return !models.isEmpty();
  }

  // ---- approvals ----

  private void awaitApproval(Approval approval, StepRecord record) {
    String name = approval.name();
    record.state = StepState.WAITING;
    record.message = approval.prompt();
    if (approval.version() != null) {
      Object version = value(approval, approval.version());
      if (!(version instanceof Number number)) {
        throw invalidPlan(
            "Approval '" + name + "' reads version " + version + ", which is not a number.");
      }
      gateVersions.put(
          name, new VersionApproval(approval.modelName(), number.intValue(), false, null, null));
      record.values.put("model", approval.modelName());
      record.values.put("version", number.intValue());
      record.message = approval.prompt() + " (" + approval.modelName() + " v" + number + ")";
      VersionApproval early =
          earlyRegistryDecisions.remove(approval.modelName() + "/" + number.intValue());
      if (early != null) {
        decidedInRegistry.add(name);
        decisions.put(
            name, new ApprovalDecision(name, early.approved(), early.approver(), early.comment()));
      }
    }
    waitingGates.add(name);
    refreshRunState();
    boolean answered;
    if (approval.timeout() == null) {
      Workflow.await(() -> decisions.containsKey(name));
      answered = true;
    } else {
      answered = Workflow.await(approval.timeout(), () -> decisions.containsKey(name));
    }
    waitingGates.remove(name);
    refreshRunState();
    if (!answered) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Approval '"
              + name
              + "' expired: nobody answered within "
              + approval.timeout()
              + " ("
              + approval.prompt()
              + ")",
          FailureTypes.APPROVAL_REJECTED);
    }
    ApprovalDecision decision = decisions.get(name);
    String who = blank(decision.approver()) ? "an unnamed approver" : decision.approver();
    String why = blank(decision.comment()) ? "" : ": " + decision.comment();
    VersionApproval about = gateVersions.get(name);
    if (about != null && !decidedInRegistry.contains(name)) {
      // The decision was made on the run: record it in the registry as the version's status.
      registry()
          .setApproval(
              new VersionApproval(
                  about.modelName(),
                  about.version(),
                  decision.isApproval(),
                  decision.approver(),
                  decision.comment()));
    }
    if (about != null) {
      why += decidedInRegistry.contains(name) ? " (in the registry)" : "";
    }
    if (!decision.isApproval()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Approval '" + name + "' rejected by " + who + why, FailureTypes.APPROVAL_REJECTED);
    }
    if (!blank(decision.approver())) {
      record.values.put("approver", decision.approver());
    }
    if (!blank(decision.comment())) {
      record.values.put("comment", decision.comment());
    }
    record.message = "Approved by " + who + why;
    record.state = StepState.SUCCEEDED;
    record.endedAt = Workflow.currentTimeMillis();
  }

  /**
   * The gate {@code decision} answers.
   *
   * @throws IllegalArgumentException when no such gate waits. Not an {@code ApplicationFailure}:
   *     the SDK reports a validator's {@code TemporalFailure} under the type of its own wrapper,
   *     whereas other exceptions reach the caller with their message and class name.
   */
  private String gateFor(ApprovalDecision decision) {
    if (decision == null) {
      throw new IllegalArgumentException(
          "An approval needs a decision, e.g. {\"approved\": true, \"approver\": \"ana\"}.");
    }
    List<String> gates =
        records.values().stream().filter(r -> r.kind.equals("approval")).map(r -> r.name).toList();
    String step = decision.step();
    if (blank(step)) {
      if (waitingGates.isEmpty()) {
        throw new IllegalArgumentException(
            "No approval gate is waiting"
                + (pipeline == null ? "" : " in this run of '" + pipeline + "'")
                + (gates.isEmpty() ? " (the pipeline has none)." : ". Gates: " + states(gates)));
      }
      if (waitingGates.size() > 1) {
        throw new IllegalArgumentException(
            "Several approval gates wait: "
                + List.copyOf(waitingGates)
                + ". Name one in 'step', e.g. {\"step\": \""
                + waitingGates.iterator().next()
                + "\", \"approved\": true}.");
      }
      step = waitingGates.iterator().next();
    }
    StepRecord record = records.get(step);
    if (record == null || !record.kind.equals("approval")) {
      throw new IllegalArgumentException(
          (record == null
                  ? "Pipeline '" + pipeline + "' has no step '" + step + "'"
                  : "Step '" + step + "' is a " + record.kind + " step, not an approval gate")
              + ". Approval gates: "
              + gates);
    }
    if (!waitingGates.contains(step) || decisions.containsKey(step)) {
      throw new IllegalArgumentException(
          "Approval gate '"
              + step
              + "' is not waiting for an answer (it is "
              + record.state.name().toLowerCase(java.util.Locale.ROOT)
              + ").");
    }
    return step;
  }

  private String states(List<String> gates) {
    return gates.stream()
        .map(g -> g + " (" + records.get(g).state.name().toLowerCase(java.util.Locale.ROOT) + ")")
        .toList()
        .toString();
  }

  // ---- failures and run state ----

  private void stepFailed(Step step, Throwable error) {
    running.remove(step.name());
    StepRecord record = records.get(step.name());
    if (failure != null || bug != null) {
      if (!record.isTerminal()) {
        record.stop("Cancelled because " + stopReason(), Workflow.currentTimeMillis());
      }
      return;
    }
    String reason;
    String type;
    if (error instanceof ActivityFailure || error instanceof ChildWorkflowFailure) {
      // The cause carries what went wrong and its type (e.g. a labeling deadline missed).
      Throwable cause = error.getCause();
      reason = "Step '" + step.name() + "' failed: " + describe(cause);
      type = cause instanceof ApplicationFailure a ? a.getType() : FailureTypes.STEP_FAILED;
    } else if (error instanceof ApplicationFailure a) {
      reason = a.getOriginalMessage();
      type = a.getType();
    } else if (error instanceof TemporalFailure) {
      reason = "Step '" + step.name() + "' failed: " + describe(error);
      type = FailureTypes.STEP_FAILED;
    } else {
      bug =
          error instanceof RuntimeException e
              ? e
              : new IllegalStateException("Step '" + step.name() + "' crashed", error);
      return;
    }
    record.state = StepState.FAILED;
    record.message = reason;
    record.endedAt = Workflow.currentTimeMillis();
    failure = new RunFailure(step.name(), reason, type);
    for (CancellationScope scope : List.copyOf(running.values())) {
      scope.cancel("Step '" + step.name() + "' failed");
    }
  }

  private String stopReason() {
    return failure != null ? "step '" + failure.step() + "' failed" : "the run was cancelled";
  }

  /** Ends the run as FAILED with {@code reason}; returns the failure the workflow throws. */
  private ApplicationFailure failRun(String reason, String type) {
    message = reason;
    criteriaNotEvaluated();
    state = RunState.FAILED;
    stopUnfinishedSteps();
    endedAt = Workflow.currentTimeMillis();
    upsertState();
    return ApplicationFailure.newNonRetryableFailure(reason, type);
  }

  private void cancelRun() {
    Workflow.newDetachedCancellationScope(
            () -> {
              message = "Cancelled";
              state = RunState.CANCELLED;
              for (CancellationScope scope : List.copyOf(running.values())) {
                scope.cancel("The run was cancelled");
              }
              stopUnfinishedSteps();
              endedAt = Workflow.currentTimeMillis();
              upsertState();
            })
        .run();
  }

  private void stopUnfinishedSteps() {
    long now = Workflow.currentTimeMillis();
    for (StepRecord record : records.values()) {
      if (record.state == StepState.PENDING) {
        record.state = StepState.SKIPPED;
        record.message = "Not run: " + stopReason();
      } else if (record.kind.equals("condition") && record.state == StepState.RUNNING) {
        // Its decision stays readable; the step that stopped its branch has its own message.
        record.state = StepState.FAILED;
        record.endedAt = now;
      } else if (!record.isTerminal()) {
        record.stop("Cancelled because " + stopReason(), now);
      }
    }
  }

  private void refreshRunState() {
    if (state == RunState.RUNNING || state == RunState.WAITING_APPROVAL) {
      state = waitingGates.isEmpty() ? RunState.RUNNING : RunState.WAITING_APPROVAL;
      upsertState();
    }
  }

  private void upsertState() {
    if (state != upsertedState) {
      Workflow.upsertTypedSearchAttributes(STATE_KEY.valueSet(state.name()));
      upsertedState = state;
    }
  }

  private void setPipeline(String name) {
    if (!name.equals(pipeline)) {
      pipeline = name;
      Workflow.upsertTypedSearchAttributes(PIPELINE_KEY.valueSet(name));
    }
  }

  private static String describe(Throwable failure) {
    if (failure instanceof ApplicationFailure a) {
      return a.getOriginalMessage();
    }
    if (failure instanceof TimeoutFailure t) {
      return "timed out (" + t.getTimeoutType().name().replace("TIMEOUT_TYPE_", "") + ")";
    }
    if (failure instanceof CanceledFailure) {
      return "cancelled";
    }
    if (failure instanceof TemporalFailure t) {
      return t.getOriginalMessage();
    }
    return String.valueOf(failure);
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }

  private static ApplicationFailure invalidPlan(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_PLAN);
  }

  /** Starts one activity for a step; the promise holds its result. */
  @FunctionalInterface
  private interface ActivityCall {
    Promise<StepResult> start(ActivityOptions options, StepTask task);
  }

  /**
   * A stub of {@code contract} with {@code options}, shared by the steps with equal options: most
   * steps use the defaults, and a stub is a dynamic proxy worth building once. Building a stub
   * issues no command, so sharing cannot change history.
   */
  private <T> T stub(Class<T> contract, ActivityOptions options) {
    Object stub =
        stubs.computeIfAbsent(
            new StubKey(contract, options), k -> Workflow.newActivityStub(contract, options));
    return contract.cast(stub);
  }

  private record StubKey(Class<?> contract, ActivityOptions options) {}

  private record RunFailure(String step, String message, String type) {}

  /** One step's mutable state; the status query copies it. */
  private static final class StepRecord {
    final String name;
    final String kind;
    final String parent;
    StepState state = StepState.PENDING;
    Long startedAt;
    Long endedAt;
    final Map<String, ArtifactRef> artifacts = new LinkedHashMap<>();
    final Map<String, Double> metrics = new LinkedHashMap<>();
    final Map<String, Object> values = new LinkedHashMap<>();
    String message;

    StepRecord(Step step, String parent) {
      this.name = step.name();
      this.kind = step.kind();
      this.parent = parent;
    }

    void succeed(StepResult result, long now) {
      artifacts.putAll(result.artifacts());
      metrics.putAll(result.metrics());
      values.putAll(result.values());
      message = result.summary().isEmpty() ? null : result.summary();
      state = StepState.SUCCEEDED;
      endedAt = now;
    }

    void stop(String reason, long now) {
      state = StepState.FAILED;
      message = reason;
      endedAt = now;
    }

    boolean isTerminal() {
      return state == StepState.SUCCEEDED
          || state == StepState.FAILED
          || state == StepState.SKIPPED;
    }

    StepStatus toStatus(StepProgress progress) {
      // A running label step is its labeling job: waiting for people (the query only, no command).
      StepState shown =
          state == StepState.RUNNING && kind.equals("label") ? StepState.WAITING_LABELS : state;
      return new StepStatus(
          name, kind, parent, shown, startedAt, endedAt, artifacts, metrics, values, message,
          progress);
    }
  }
}
