package dev.lifecycle.worker.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.deployment.serving.AsyncResult;
import dev.lifecycle.activities.deployment.serving.Endpoint;
import dev.lifecycle.activities.deployment.serving.EndpointStatus;
import dev.lifecycle.activities.deployment.serving.InvalidInputException;
import dev.lifecycle.activities.deployment.serving.ModelFailureException;
import dev.lifecycle.activities.deployment.serving.Prediction;
import dev.lifecycle.activities.deployment.serving.ServingRuntime;
import dev.lifecycle.activities.deployment.serving.UnknownEndpointException;
import dev.lifecycle.dsl.plan.PlanJson;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's model endpoints over HTTP.
 *
 * <ul>
 *   <li>{@code POST /endpoints/{name}/invocations}: {@code {"instances": [{"Length": 0.5, ...}]}} →
 *       {@code {"predictions": [...], "modelName": ..., "modelVersion": 3, "requestId": ...}}
 *   <li>{@code POST /endpoints/{name}/async-invocations} → 202 {@code {"id": ..., "status":
 *       "PENDING"}}; {@code GET /endpoints/{name}/async-invocations/{id}} polls it
 *   <li>{@code GET /endpoints}, {@code GET /endpoints/{name}}: status (version, mode, traffic
 *       split, counters, p50/p99, cold start, rollbacks)
 *   <li>{@code GET /endpoints/{name}/page}: the same as a page for people
 *   <li>{@code POST /endpoints/{name}/ground-truth}: {@code {"requestId": ..., "groundTruth": 7}}
 *       (or one value per instance) for a captured request
 * </ul>
 *
 * Errors are {@code {"error": ..., "field": ...}}: 400 naming the offending field, 413 when the
 * body or its instance count is too large, 404 for an unknown endpoint or request id, 500 when the
 * model fails. A bad request never affects the endpoint.
 */
@Controller("/endpoints")
@ExecuteOn(TaskExecutors.BLOCKING)
public class EndpointsController {
  private static final ObjectMapper JSON = PlanJson.lenient();

  private final ServingRuntime serving;
  private final int maxBodyBytes;

  EndpointsController(
      LifecycleActivities activities,
      @Value("${lifecycle.serving.max-body-bytes:1048576}") int maxBodyBytes) {
    this.serving = activities.serving();
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Every endpoint's status, by name. */
  @Get
  @Produces(MediaType.APPLICATION_JSON)
  public List<EndpointStatus> list() {
    return serving.names().stream()
        .flatMap(n -> serving.find(n).stream())
        .map(Endpoint::status)
        .toList();
  }

  /** One endpoint's status. */
  @Get("/{name}")
  @Produces(MediaType.APPLICATION_JSON)
  public HttpResponse<?> status(@PathVariable String name) {
    try {
      return HttpResponse.ok(serving.endpoint(name).status());
    } catch (UnknownEndpointException e) {
      return error(HttpStatus.NOT_FOUND, e.getMessage(), "name");
    }
  }

  /** A page for people: the endpoint's status as HTML. */
  @Get("/{name}/page")
  @Produces(MediaType.TEXT_HTML)
  public HttpResponse<String> page(@PathVariable String name) {
    try {
      return HttpResponse.ok(EndpointPage.render(serving.endpoint(name).status()));
    } catch (UnknownEndpointException e) {
      return HttpResponse.<String>status(HttpStatus.NOT_FOUND)
          .body("<!doctype html><p>" + EndpointPage.escape(e.getMessage()) + "</p>");
    }
  }

  /** Answers the instances of the body at once. */
  @Post("/{name}/invocations")
  @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
  @Produces(MediaType.APPLICATION_JSON)
  public HttpResponse<?> invoke(@PathVariable String name, @Nullable @Body byte[] body) {
    try {
      Endpoint endpoint = serving.endpoint(name);
      Prediction p = endpoint.invoke(parse(body));
      return HttpResponse.ok(view(p));
    } catch (RuntimeException e) {
      return failure(e);
    }
  }

  /** Stores the body to be answered later; 202 with the id to poll. */
  @Post("/{name}/async-invocations")
  @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
  @Produces(MediaType.APPLICATION_JSON)
  public HttpResponse<?> submit(@PathVariable String name, @Nullable @Body byte[] body) {
    try {
      String id = serving.submitAsync(name, parse(body));
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("id", id);
      view.put("status", "PENDING");
      view.put("location", "/endpoints/" + name + "/async-invocations/" + id);
      return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    } catch (RuntimeException e) {
      return failure(e);
    }
  }

  /** The state of an asynchronous request and, once done, its answer. */
  @Get("/{name}/async-invocations/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public HttpResponse<?> poll(@PathVariable String name, @PathVariable String id) {
    try {
      serving.endpoint(name);
    } catch (UnknownEndpointException e) {
      return error(HttpStatus.NOT_FOUND, e.getMessage(), "name");
    }
    return serving
        .asyncResult(name, id)
        .<HttpResponse<?>>map(r -> HttpResponse.ok(view(r)))
        .orElseGet(
            () ->
                error(
                    HttpStatus.NOT_FOUND,
                    "Endpoint '" + name + "' has no asynchronous request '" + id + "'",
                    "id"));
  }

  /** Ground truth for a captured request, joined to it by request id. */
  @Post("/{name}/ground-truth")
  @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
  @Produces(MediaType.APPLICATION_JSON)
  public HttpResponse<?> groundTruth(@PathVariable String name, @Nullable @Body byte[] body) {
    try {
      serving.endpoint(name);
      JsonNode json = parse(body);
      if (!json.isObject()) {
        throw new InvalidInputException(
            "body", "The body must be {\"requestId\": ..., \"groundTruth\": ...}");
      }
      JsonNode requestId = json.get("requestId");
      if (requestId == null || !requestId.isTextual()) {
        throw new InvalidInputException(
            "requestId", "Field 'requestId' must be the requestId of an invocation's answer");
      }
      int rows =
          serving.dataCapture().groundTruth(name, requestId.textValue(), json.get("groundTruth"));
      return HttpResponse.ok(Map.of("requestId", requestId.textValue(), "instances", rows));
    } catch (InvalidInputException e) {
      if (e.field().equals("requestId") && e.getMessage().contains("was not captured")) {
        return error(HttpStatus.NOT_FOUND, e.getMessage(), e.field());
      }
      return failure(e);
    } catch (RuntimeException e) {
      return failure(e);
    }
  }

  private JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw new InvalidInputException("body", "The body is empty: send {\"instances\": [...]}");
    }
    if (body.length > maxBodyBytes) {
      throw new TooLarge(body.length, maxBodyBytes);
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "body",
          "The body is not valid JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + "): "
              + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new InvalidInputException("body", "The body cannot be read: " + e.getMessage());
    }
  }

  /** A body over the byte limit. */
  private static final class TooLarge extends RuntimeException {
    TooLarge(int bytes, int max) {
      super("The body has " + bytes + " bytes; an endpoint takes at most " + max);
    }
  }

  private static MutableHttpResponse<?> failure(RuntimeException e) {
    if (e instanceof UnknownEndpointException) {
      return error(HttpStatus.NOT_FOUND, e.getMessage(), "name");
    }
    if (e instanceof TooLarge) {
      return error(HttpStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage(), "body");
    }
    if (e instanceof InvalidInputException invalid) {
      return error(
          invalid.tooLarge() ? HttpStatus.REQUEST_ENTITY_TOO_LARGE : HttpStatus.BAD_REQUEST,
          invalid.getMessage(),
          invalid.field());
    }
    if (e instanceof ModelFailureException failed) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", failed.getMessage());
      body.put("modelVersion", failed.version());
      return HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR).body(body);
    }
    throw e;
  }

  private static MutableHttpResponse<?> error(HttpStatus status, String message, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("field", field);
    return HttpResponse.status(status).body(body);
  }

  private static Map<String, Object> view(Prediction p) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("predictions", p.predictions());
    if (p.probabilities() != null) {
      view.put("probabilities", p.probabilities());
    }
    view.put("modelName", p.modelName());
    view.put("modelVersion", p.modelVersion());
    view.put("requestId", p.requestId());
    return view;
  }

  private static Map<String, Object> view(AsyncResult r) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", r.id());
    view.put("endpoint", r.endpoint());
    view.put("status", r.status());
    if (r.result() != null) {
      view.put("result", r.result());
    }
    if (r.error() != null) {
      view.put("error", r.error());
    }
    if (r.modelVersion() != null) {
      view.put("modelVersion", r.modelVersion());
    }
    view.put("createdAt", String.valueOf(r.createdAt()));
    if (r.completedAt() != null) {
      view.put("completedAt", r.completedAt().toString());
    }
    return view;
  }
}
