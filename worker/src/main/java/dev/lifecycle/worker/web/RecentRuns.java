package dev.lifecycle.worker.web;

import com.google.protobuf.Timestamp;
import dev.lifecycle.workflows.Names;
import dev.lifecycle.workflows.PipelineWorkflow;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lists recent pipeline runs with the {@code ListOpen/ListClosedWorkflowExecutions} calls, which
 * the Temporal test server implements too (it lacks the query-based {@code
 * ListWorkflowExecutions}), filtered to the {@code PipelineWorkflow} type.
 */
final class RecentRuns {
  private final WorkflowServiceStubs service;
  private final String namespace;

  RecentRuns(WorkflowServiceStubs service, String namespace) {
    this.service = service;
    this.namespace = namespace;
  }

  /**
   * One run in the list.
   *
   * @param workflowId its workflow id
   * @param runId its Temporal run id
   * @param pipeline the pipeline, from the search attribute, or null
   * @param status Temporal's status of the execution, e.g. {@code RUNNING}, {@code COMPLETED}
   * @param startedAt epoch millis
   * @param closedAt epoch millis, or null while open
   */
  record Run(
      String workflowId,
      String runId,
      String pipeline,
      String status,
      long startedAt,
      Long closedAt) {}

  /** Up to {@code limit} runs started in the last {@code within}, newest first. */
  List<Run> list(Duration within, int limit) {
    Instant now = Instant.now();
    StartTimeFilter window =
        StartTimeFilter.newBuilder()
            .setEarliestTime(timestamp(now.minus(within)))
            .setLatestTime(timestamp(now.plus(Duration.ofMinutes(1))))
            .build();
    WorkflowTypeFilter type =
        WorkflowTypeFilter.newBuilder().setName(PipelineWorkflow.TYPE).build();
    List<Run> runs = new ArrayList<>();
    service
        .blockingStub()
        .listOpenWorkflowExecutions(
            ListOpenWorkflowExecutionsRequest.newBuilder()
                .setNamespace(namespace)
                .setMaximumPageSize(limit)
                .setStartTimeFilter(window)
                .setTypeFilter(type)
                .build())
        .getExecutionsList()
        .forEach(e -> runs.add(run(e)));
    service
        .blockingStub()
        .listClosedWorkflowExecutions(
            ListClosedWorkflowExecutionsRequest.newBuilder()
                .setNamespace(namespace)
                .setMaximumPageSize(limit)
                .setStartTimeFilter(window)
                .setTypeFilter(type)
                .build())
        .getExecutionsList()
        .forEach(e -> runs.add(run(e)));
    runs.sort(Comparator.comparingLong(Run::startedAt).reversed());
    return runs.size() > limit ? List.copyOf(runs.subList(0, limit)) : runs;
  }

  private Run run(WorkflowExecutionInfo info) {
    String pipeline = pipeline(info);
    if (pipeline == null) {
      // The test server leaves search attributes out of its lists; describe has them.
      pipeline = pipeline(describe(info));
    }
    return new Run(
        info.getExecution().getWorkflowId(),
        info.getExecution().getRunId(),
        pipeline,
        info.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", ""),
        millis(info.getStartTime()),
        info.hasCloseTime() ? millis(info.getCloseTime()) : null);
  }

  private WorkflowExecutionInfo describe(WorkflowExecutionInfo info) {
    try {
      return service
          .blockingStub()
          .describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace(namespace)
                  .setExecution(info.getExecution())
                  .build())
          .getWorkflowExecutionInfo();
    } catch (RuntimeException e) {
      return info;
    }
  }

  /** The pipeline's name from its keyword search attribute (a JSON string), when present. */
  private static String pipeline(WorkflowExecutionInfo info) {
    Payload payload = info.getSearchAttributes().getIndexedFieldsMap().get(Names.SA_PIPELINE);
    if (payload == null) {
      return null;
    }
    String json = payload.getData().toString(StandardCharsets.UTF_8).strip();
    return json.length() >= 2 && json.startsWith("\"") && json.endsWith("\"")
        ? json.substring(1, json.length() - 1)
        : json;
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private static long millis(Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }
}
