package dev.lifecycle.dsl;

/**
 * A pipeline the worker knows by name. Implement it and list the class in {@code
 * META-INF/services/dev.lifecycle.dsl.PipelineDefinition}; the worker finds it with {@link
 * java.util.ServiceLoader}, and runs start it as {@code {"pipeline": "<name>"}}.
 */
public interface PipelineDefinition {
  /** The pipeline's definition; {@link PipelineRegistry} compiles it. */
  Pipeline define();
}
