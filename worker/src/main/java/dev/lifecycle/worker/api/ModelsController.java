package dev.lifecycle.worker.api;

import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.store.ApprovalStatus;
import dev.lifecycle.activities.store.ModelRegistry;
import dev.lifecycle.activities.store.ModelVersion;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.workflows.activities.VersionApproval;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry over REST: the registered models, one model's versions with their metrics,
 * lineage, approval status and aliases, and manual approval or rejection of a version with approver
 * and comment. A decision is also sent to the run that registered the version (signal {@code
 * registry-approval}), so that an approval gate waiting on that version opens. Errors are {@code
 * {"error": ...}}: 404 for an unknown model or version, 400 for a bad field, named.
 */
@Controller("/api/models")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ModelsController {
  private static final Logger log = LoggerFactory.getLogger(ModelsController.class);

  private final ModelRegistry models;
  private final PipelineRuns runs;

  ModelsController(LifecycleActivities activities, PipelineRuns runs) {
    this.models = activities.metadata().models();
    this.runs = runs;
  }

  /** Every registered model: its newest version, how many it has, and its aliases. */
  @Get
  public List<ModelSummary> list() {
    return models.names().stream()
        .map(
            name -> {
              ModelVersion latest = models.latest(name).orElseThrow();
              return new ModelSummary(
                  name,
                  latest.version(),
                  models.list(name).size(),
                  models.aliases(name),
                  latest.approval().name());
            })
        .toList();
  }

  /** One model: its versions, oldest first, and its aliases; 404 when it is not registered. */
  @Get("/{name}")
  public ModelView model(@PathVariable String name) {
    List<ModelVersion> versions = models.list(name);
    if (versions.isEmpty()) {
      throw new HttpStatusException(
          HttpStatus.NOT_FOUND,
          "No model named '" + name + "' is registered. Registered models: " + models.names());
    }
    return new ModelView(
        name, models.aliases(name), versions.stream().map(VersionView::of).toList());
  }

  /** Approves a version: {@code {"approver": "ana", "comment": "metrics look right"}}. */
  @Post("/{name}/versions/{version}/approve")
  public Decision approve(
      @PathVariable String name,
      @PathVariable String version,
      @Nullable @Body DecisionRequest body) {
    return decide(name, version, true, body);
  }

  /** Rejects a version: {@code {"approver": "ana", "comment": "recall too low"}}. */
  @Post("/{name}/versions/{version}/reject")
  public Decision reject(
      @PathVariable String name,
      @PathVariable String version,
      @Nullable @Body DecisionRequest body) {
    return decide(name, version, false, body);
  }

  private Decision decide(String name, String versionText, boolean approved, DecisionRequest body) {
    int version = parseVersion(versionText);
    if (body == null || body.approver() == null || body.approver().isBlank()) {
      throw badRequest(
          "Field 'approver' is missing: say who decides, e.g. {\"approver\": \"ana\", \"comment\":"
              + " \"metrics look right\"}");
    }
    if (body.approver().length() > 255) {
      throw badRequest(
          "Field 'approver' is " + body.approver().length() + " characters; at most 255");
    }
    if (body.comment() != null && body.comment().length() > ModelRegistry.MAX_COMMENT) {
      throw badRequest(
          "Field 'comment' is "
              + body.comment().length()
              + " characters; at most "
              + ModelRegistry.MAX_COMMENT);
    }
    ModelVersion decided;
    try {
      decided =
          models.setApproval(
              name,
              version,
              approved ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED,
              body.approver().strip(),
              body.comment());
    } catch (IllegalArgumentException e) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, e.getMessage());
    }
    return new Decision(VersionView.of(decided), notifyRun(decided, approved, body));
  }

  /**
   * Tells the run that registered the version, so that a gate waiting on it opens. Returns what
   * happened: {@code signalled}, {@code not running}, or {@code none} when no run is recorded.
   */
  private String notifyRun(ModelVersion version, boolean approved, DecisionRequest body) {
    if (version.workflowId() == null) {
      return "none";
    }
    try {
      runs.stub(version.workflowId())
          .signal(
              "registry-approval",
              new VersionApproval(
                  version.name(),
                  version.version(),
                  approved,
                  body.approver().strip(),
                  body.comment()));
      return "signalled";
    } catch (WorkflowNotFoundException e) {
      return "not running";
    } catch (RuntimeException e) {
      // The decision is stored; a run that cannot be told now still reads it from the registry.
      log.warn(
          "Could not signal run {} about {}: {}",
          version.workflowId(),
          version.name(),
          e.toString());
      return "not reachable";
    }
  }

  private static int parseVersion(String version) {
    try {
      int value = Integer.parseInt(version.strip());
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw badRequest(
        "Path segment 'version' must be a version number (1, 2, ...), got '" + version + "'");
  }

  private static HttpStatusException badRequest(String message) {
    return new HttpStatusException(HttpStatus.BAD_REQUEST, message);
  }

  /**
   * A decision's body.
   *
   * @param approver who decides (required)
   * @param comment why (optional, at most 4,000 characters)
   */
  public record DecisionRequest(String approver, String comment) {}

  /**
   * What a decision did.
   *
   * @param version the version as it now is
   * @param run what became of the run that registered it: {@code signalled}, {@code not running},
   *     {@code not reachable} or {@code none}
   */
  public record Decision(VersionView version, String run) {}

  /** A model in the list. */
  public record ModelSummary(
      String name,
      int latestVersion,
      int versions,
      Map<String, Integer> aliases,
      String latestApproval) {}

  /** One model with every version. */
  public record ModelView(String name, Map<String, Integer> aliases, List<VersionView> versions) {}

  /** A version as the API shows it. */
  public record VersionView(
      String name,
      int version,
      String approval,
      String approvedBy,
      String approvalComment,
      Instant approvalUpdatedAt,
      Map<String, Double> metrics,
      String artifactUri,
      String artifactSha256,
      String datasetUri,
      String datasetSha256,
      String planHash,
      Map<String, Object> parameters,
      String workflowId,
      String runId,
      String step,
      Instant createdAt) {
    static VersionView of(ModelVersion v) {
      return new VersionView(
          v.name(),
          v.version(),
          v.approval().name(),
          v.approvedBy(),
          v.approvalComment(),
          v.approvalUpdatedAt(),
          v.metrics(),
          v.artifactUri(),
          v.artifactSha256(),
          v.datasetUri(),
          v.datasetSha256(),
          v.planHash(),
          v.parameters(),
          v.workflowId(),
          v.runId(),
          v.step(),
          v.createdAt());
    }
  }
}
