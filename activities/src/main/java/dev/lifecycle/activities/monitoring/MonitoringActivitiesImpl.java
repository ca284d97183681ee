package dev.lifecycle.activities.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.evaluation.EvaluationActivitiesImpl;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.MonitoringActivities;
import dev.lifecycle.workflows.activities.MonitoringActivities.CaptureWindow;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckRequest;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckSummary;
import io.temporal.activity.Activity;
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
