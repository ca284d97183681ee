package dev.lifecycle.worker.api;

import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.UnknownPipelineException;
import dev.lifecycle.dsl.compile.PlanDiagram;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;

/** The registered pipelines and their compiled plans. */
@Controller("/api/pipelines")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PipelinesController {
  private final PipelineRegistry registry;

  PipelinesController(PipelineRegistry registry) {
    this.registry = registry;
  }

  /** Every registered pipeline with its description and parameters, by name. */
  @Get
  public List<PipelineView> list() {
    return registry.names().stream().map(n -> PipelineView.of(registry.plan(n))).toList();
  }

  /**
   * The compiled plan: JSON exactly as {@code ./lifecycle plan NAME} prints it, or with {@code
   * ?format=mermaid} a Mermaid flowchart.
   */
  @Get(
      uri = "/{name}/plan",
      produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
  public HttpResponse<String> plan(
      @PathVariable String name, @QueryValue(defaultValue = "json") String format) {
    PipelinePlan plan;
    try {
      plan = registry.plan(name);
    } catch (UnknownPipelineException e) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, e.getMessage());
    }
    return switch (format) {
      case "json" ->
          HttpResponse.ok(PlanJson.write(plan)).contentType(MediaType.APPLICATION_JSON_TYPE);
      case "mermaid" ->
          HttpResponse.ok(PlanDiagram.mermaid(plan)).contentType(MediaType.TEXT_PLAIN_TYPE);
      default ->
          throw new HttpStatusException(
              HttpStatus.BAD_REQUEST,
              "Unknown plan format '" + format + "'. Formats: json, mermaid");
    };
  }
}
