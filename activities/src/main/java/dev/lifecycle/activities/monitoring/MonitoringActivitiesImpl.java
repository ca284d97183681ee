package dev.lifecycle.activities.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.evaluation.EvaluationActivitiesImpl;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.dsl.plan.Monitor;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.Names;
import dev.lifecycle.workflows.PipelineWorkflow;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.MonitoringActivities;
import dev.lifecycle.workflows.activities.MonitoringActivities.CaptureWindow;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckRequest;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckSummary;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.monitoring.BaselineUpdate;
import dev.lifecycle.workflows.monitoring.MonitoringInput;
import dev.lifecycle.workflows.monitoring.MonitoringState;
import dev.lifecycle.workflows.monitoring.MonitoringWorkflow;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a monitor's checks with {@link DriftChecker} over artifacts of the store, posts its alerts
 * with a {@link WebhookNotifier}, and starts retraining runs with the worker's client. Reports are
 * content-addressed, so a retried check stores the same report again and changes nothing.
 */
public final class MonitoringActivitiesImpl implements MonitoringActivities {
  /** Violations and problems a summary carries at most; the report has them all. */
  static final int SUMMARY_MESSAGES = 20;

  /** The report's JSON file inside its directory. */
  public static final String REPORT_FILE = "report.json";

  private static final Logger log = LoggerFactory.getLogger(MonitoringActivitiesImpl.class);
  private static final ObjectMapper JSON = PlanJson.lenient();

  private final ArtifactStore artifacts;
  private final WebhookNotifier webhooks;

  /** Activities over {@code artifacts}, posting with a default {@link WebhookNotifier}. */
  public MonitoringActivitiesImpl(ArtifactStore artifacts) {
    this(artifacts, new WebhookNotifier());
  }

  /** Activities over {@code artifacts}, posting with {@code webhooks}. */
  public MonitoringActivitiesImpl(ArtifactStore artifacts, WebhookNotifier webhooks) {
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
  }

  @Override
  public CheckSummary check(CheckRequest request) {
    Baseline baseline = readBaseline(request.baseline());
    CaptureWindow window = request.window();
    Map<String, String> plots = new LinkedHashMap<>();
    DriftReport report;
    if (window.data() == null) {
      DriftReport empty = DriftChecker.check(baseline, List.of(), windowName(window));
      List<String> problems = new ArrayList<>();
      problems.add(
          "Nothing was captured for '" + request.deployment() + "' in " + windowName(window));
      problems.addAll(empty.problems());
      report = empty.withProblems(problems);
    } else {
      report = DriftChecker.check(baseline, artifacts.resolve(window.data()), plots);
    }
    ArtifactRef stored = store(report, plots);
    CheckSummary summary = summarize(report, stored);
    log.info(
        "Checked window {} of '{}': {} with {} violations in {} (report {})",
        windowName(window),
        request.deployment(),
        summary.status(),
        summary.violations(),
        summary.driftedFeatures(),
        stored.uri());
    return summary;
  }

  @Override
  public void postWebhook(String url, Alert alert) {
    int status = webhooks.post(url, alert);
    log.info(
        "Alert for '{}' ({}, {} violations) posted to {}: HTTP {}",
        alert.deployment(),
        alert.status(),
        alert.violations(),
        url,
        status);
  }

  @Override
  public String startRetraining(RetrainRequest request) {
    WorkflowClient client = Activity.getExecutionContext().getWorkflowClient();
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put("lifecycleMonitor", request.monitor());
    memo.put("lifecycleDeployment", request.deployment());
    WorkflowStub run =
        client.newUntypedWorkflowStub(
            request.workflowType(),
            WorkflowOptions.newBuilder()
                .setWorkflowId(request.workflowId())
                .setTaskQueue(request.taskQueue())
                .setMemo(memo)
                .build());
    try {
      String runId = run.start(request.input()).getRunId();
      log.info(
          "Started retraining run {} ({}) of type {} for the monitor {}",
          request.workflowId(),
          runId,
          request.workflowType(),
          request.monitor());
      return runId;
    } catch (WorkflowExecutionAlreadyStarted e) {
      // A retried attempt whose first start went through: the run is the one asked for.
      return e.getExecution().getRunId();
    }
  }

  @Override
  public StepResult startMonitor(StepTask task) {
    if (!(task.step() instanceof Monitor step)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The StartMonitor activity got step '"
              + task.stepName()
              + "' of kind '"
              + task.step().kind()
              + "'",
          FailureTypes.INVALID_PLAN);
    }
    String endpoint = task.string("endpoint");
    ArtifactRef data = task.artifact("baseline");
    ArtifactRef baseline = computeBaseline(step, data);
    ActivityExecutionContext context = Activity.getExecutionContext();
    WorkflowClient client = context.getWorkflowClient();
    String taskQueue = context.getInfo().getActivityTaskQueue();
    String monitorId = Names.monitorId(endpoint);
    RunInfo run = task.run();
    Map<String, Object> retrainInput = new LinkedHashMap<>();
    retrainInput.put("pipeline", run.pipeline());
    Map<String, Object> retrainParameters = new LinkedHashMap<>(run.parameters());
    if (step.retrainParameters() != null) {
      retrainParameters.putAll(step.retrainParameters());
    }
    retrainInput.put("parameters", retrainParameters);
    MonitoringInput.OnViolation onViolation =
        step.onViolation() == Monitor.OnViolation.RETRAIN
            ? new MonitoringInput.OnViolation(
                true,
                PipelineWorkflow.TYPE,
                taskQueue,
                retrainInput,
                step.cooldown(),
                step.retrainLimit(),
                step.capturedDataParameter(),
                Boolean.TRUE.equals(step.driftedDataOnly()))
            : MonitoringInput.OnViolation.alertOnly();
    MonitoringInput input =
        new MonitoringInput(
            endpoint, baseline, null, step.every(), step.webhooks(), onViolation, 0, null);
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put("lifecyclePipeline", run.pipeline());
    memo.put("lifecycleStartedBy", run.workflowId());
    MonitoringWorkflow monitor =
        client.newWorkflowStub(
            MonitoringWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(monitorId)
                .setTaskQueue(taskQueue)
                .setMemo(memo)
                .build());
    String summary;
    try {
      WorkflowExecution started = WorkflowClient.start(monitor::monitor, input);
      summary =
          "monitoring "
              + endpoint
              + " every "
              + step.every()
              + " ("
              + monitorId
              + ", run "
              + started.getRunId()
              + ")";
      log.info("Started monitor {} for run {}", monitorId, run.workflowId());
    } catch (WorkflowExecutionAlreadyStarted e) {
      // A retried attempt of this step, or an earlier run (a retraining run among them) whose
      // monitor still watches the endpoint: its schedule, counters and cooldown stay, and the
      // baseline becomes this run's, the training data of the version this run just deployed, so
      // that the new normal is not alerted on (a retried attempt sends the same baseline again,
      // which changes nothing).
      MonitoringState updated =
          client
              .newWorkflowStub(MonitoringWorkflow.class, monitorId)
              .updateBaseline(
                  new BaselineUpdate(
                      baseline, "deployed by run " + run.workflowId() + " of " + run.pipeline()));
      summary =
          "monitor "
              + monitorId
              + " already watches "
              + endpoint
              + "; left running with its schedule and counters, its baseline replaced by this"
              + " run's (update "
              + updated.baselineUpdates()
              + ", run "
              + e.getExecution().getRunId()
              + ")";
      log.info("Monitor {} already running; baseline replaced by {}", monitorId, baseline.uri());
    }
    return StepResult.builder()
        .value("monitor", monitorId)
        .artifact("baseline", baseline)
        .summary(summary)
        .build();
  }

  /** The baseline of {@code data} as the step asks for it, stored as a directory artifact. */
  private ArtifactRef computeBaseline(Monitor step, ArtifactRef data) {
    BaselineOptions.Builder options =
        BaselineOptions.newBuilder().optFeatures(step.features()).optExclude(step.exclude());
    if (step.rangeMargin() != null) {
      options.optRangeMargin(step.rangeMargin());
    }
    if (!step.numericDrift().isEmpty()) {
      options.optNumericDrift(driftChecks(step.numericDrift()));
    }
    if (!step.categoricalDrift().isEmpty()) {
      options.optCategoricalDrift(driftChecks(step.categoricalDrift()));
    }
    Baseline baseline;
    try {
      baseline = Baselines.compute(artifacts.resolve(data), options.build());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + step.name() + "' cannot compute its baseline: " + e.getMessage(),
          FailureTypes.INVALID_DATA);
    }
    Path directory = artifacts.scratch("baseline").resolve("baseline");
    Baselines.write(baseline, directory);
    return artifacts.put(directory, ValueType.REPORT, "json");
  }

  private static List<FeatureConstraints.DriftCheck> driftChecks(List<Monitor.DriftRule> rules) {
    List<FeatureConstraints.DriftCheck> checks = new ArrayList<>();
    for (Monitor.DriftRule rule : rules) {
      DriftMethod method =
          java.util.Arrays.stream(DriftMethod.values())
              .filter(m -> m.jsonName().equals(rule.method()))
              .findFirst()
              .orElseThrow(
                  () ->
                      ApplicationFailure.newNonRetryableFailure(
                          "Unknown drift method '"
                              + rule.method()
                              + "'. Methods: "
                              + Monitor.METHODS,
                          FailureTypes.INVALID_PLAN));
      checks.add(new FeatureConstraints.DriftCheck(method, rule.threshold()));
    }
    return checks;
  }

  /** The workflow-sized summary of {@code report}, stored as {@code reportRef}. */
  static CheckSummary summarize(DriftReport report, ArtifactRef reportRef) {
    Set<String> features = new LinkedHashSet<>();
    List<String> messages = new ArrayList<>(report.problems());
    for (DriftReport.Violation v : report.violations()) {
      features.add(v.feature());
      messages.add(v.description());
    }
    return new CheckSummary(
        statusName(report.status()),
        report.windowRows(),
        report.violations().size(),
        List.copyOf(features),
        messages.subList(0, Math.min(SUMMARY_MESSAGES, messages.size())),
        reportRef);
  }

  private static String statusName(DriftReport.Status status) {
    return switch (status) {
      case OK -> CheckSummary.OK;
      case VIOLATIONS -> CheckSummary.VIOLATIONS;
      case INVALID_INPUT -> CheckSummary.INVALID_INPUT;
    };
  }

  private Baseline readBaseline(ArtifactRef ref) {
    Path directory = artifacts.resolve(ref);
    if (!Files.isDirectory(directory)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Baseline "
              + ref.uri()
              + " is not a directory with "
              + Baselines.STATISTICS_FILE
              + " and "
              + Baselines.CONSTRAINTS_FILE,
          FailureTypes.INVALID_DATA);
    }
    try {
      return Baselines.read(directory);
    } catch (BaselineFormatException | UncheckedIOException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Baseline " + ref.uri() + " cannot be used: " + e.getMessage(),
          FailureTypes.INVALID_DATA);
    }
  }

  /**
   * Stores the report as a directory ({@value EvaluationActivitiesImpl#REPORT_FORMAT}, like the
   * evaluation report): {@code report.json} with a {@code plots} index, and one SVG per feature
   * comparing the baseline's distribution with the window's.
   */
  private ArtifactRef store(DriftReport report, Map<String, String> plots) {
    Path dir = artifacts.scratch("drift-report");
    try {
      ObjectNode json = JSON.valueToTree(report);
      ArrayNode index = json.putArray("plots");
      int i = 0;
      for (Map.Entry<String, String> plot : plots.entrySet()) {
        String file = String.format(Locale.ROOT, "feature-%02d.svg", i++);
        Files.writeString(dir.resolve(file), plot.getValue());
        index.addObject().put("file", file).put("feature", plot.getKey());
      }
      Files.writeString(
          dir.resolve(REPORT_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the drift report in " + dir, e);
    }
    return artifacts.put(dir, ValueType.REPORT, EvaluationActivitiesImpl.REPORT_FORMAT);
  }

  private static String windowName(CaptureWindow window) {
    return window.deployment()
        + " ["
        + Instant.ofEpochMilli(window.startMillis())
        + ", "
        + Instant.ofEpochMilli(window.endMillis())
        + ")";
  }
}
