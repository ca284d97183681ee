package dev.lifecycle.dsl;

import dev.lifecycle.dsl.internal.Suggestions;
import java.util.List;

/** A run names a pipeline the {@link PipelineRegistry} does not know. */
public class UnknownPipelineException extends RuntimeException {
  private final String pipeline;
  private final List<String> known;

  public UnknownPipelineException(String pipeline, List<String> known) {
    super(message(pipeline, known));
    this.pipeline = pipeline;
    this.known = List.copyOf(known);
  }

  private static String message(String pipeline, List<String> known) {
    if (pipeline == null) {
      return "The run names no pipeline. Known pipelines: " + known + ".";
    }
    return "No pipeline is named '"
        + pipeline
        + "'"
        + Suggestions.didYouMeanOrStop(pipeline, known)
        + " Known pipelines: "
        + known
        + ". A pipeline is known when its class implements "
        + PipelineDefinition.class.getName()
        + " and is listed in META-INF/services/"
        + PipelineDefinition.class.getName()
        + ".";
  }

  /** The name asked for; null when none was given. */
  public String pipeline() {
    return pipeline;
  }

  /** The names the registry knows, sorted. */
  public List<String> known() {
    return known;
  }
}
