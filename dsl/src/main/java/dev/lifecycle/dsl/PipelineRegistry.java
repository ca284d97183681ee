package dev.lifecycle.dsl;

import dev.lifecycle.dsl.compile.PipelineCompiler;
import dev.lifecycle.dsl.compile.PlanValidationException;
import dev.lifecycle.dsl.plan.PipelinePlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pipelines a worker knows, by name, compiled once and cached.
 *
 * <pre>{@code
 * PipelineRegistry registry = PipelineRegistry.fromServiceLoader();
 * BoundPlan run = registry.bind("abalone", Map.of("rmseThreshold", "2.0"));
 * }</pre>
 *
 * Each definition's {@link PipelineDefinition#define()} is called once when the registry is made,
 * to learn its name; compiling waits until a plan is first asked for, so one broken pipeline does
 * not keep a worker from running the others. Thread-safe.
 */
public final class PipelineRegistry {
  private final Map<String, PipelineDefinition> definitions;
  private final Map<String, PipelinePlan> plans = new ConcurrentHashMap<>();

  private PipelineRegistry(List<PipelineDefinition> list) {
    Map<String, PipelineDefinition> byName = new TreeMap<>();
    for (PipelineDefinition definition : list) {
      String name = nameOf(definition);
      PipelineDefinition previous = byName.putIfAbsent(name, definition);
      if (previous != null) {
        throw new IllegalStateException(
            "Two pipeline definitions are named '"
                + name
                + "': "
                + previous.getClass().getName()
                + " and "
                + definition.getClass().getName()
                + ". Pipeline names must be unique: rename one in its Pipeline.named(...).");
      }
    }
    this.definitions = Collections.unmodifiableMap(byName);
  }

  /**
   * The definitions listed in {@code META-INF/services/dev.lifecycle.dsl.PipelineDefinition} on the
   * thread's context class path.
   */
  public static PipelineRegistry fromServiceLoader() {
    return fromServiceLoader(Thread.currentThread().getContextClassLoader());
  }

  /** The definitions listed in {@code META-INF/services} as {@code classLoader} sees them. */
  public static PipelineRegistry fromServiceLoader(ClassLoader classLoader) {
    List<PipelineDefinition> found = new ArrayList<>();
    ServiceLoader.load(PipelineDefinition.class, classLoader).forEach(found::add);
    return new PipelineRegistry(found);
  }

  /** A registry of exactly {@code definitions}. */
  public static PipelineRegistry of(PipelineDefinition... definitions) {
    return new PipelineRegistry(List.of(definitions));
  }

  private static String nameOf(PipelineDefinition definition) {
    Pipeline pipeline;
    try {
      pipeline = definition.define();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Pipeline definition " + definition.getClass().getName() + " failed in define(): " + e,
          e);
    }
    if (pipeline == null) {
      throw new IllegalStateException(
          "Pipeline definition "
              + definition.getClass().getName()
              + " returned null from define()");
    }
    return pipeline.name();
  }

  /** The known pipelines' names, sorted. */
  public List<String> names() {
    return List.copyOf(definitions.keySet());
  }

  /**
   * The compiled plan of pipeline {@code name}.
   *
   * @throws UnknownPipelineException if no definition has that name
   * @throws PlanValidationException if the definition breaks the compiler's rules
   */
  public PipelinePlan plan(String name) {
    if (name == null) {
      throw new UnknownPipelineException(null, names());
    }
    PipelinePlan cached = plans.get(name);
    if (cached != null) {
      return cached;
    }
    PipelineDefinition definition = definitions.get(name);
    if (definition == null) {
      throw new UnknownPipelineException(name, names());
    }
    // Compiled outside computeIfAbsent: a failing compile must not be cached, and define() is user
    // code that must not run under the map's lock.
    PipelinePlan plan = definition.define().compile();
    PipelinePlan raced = plans.putIfAbsent(name, plan);
    return raced == null ? plan : raced;
  }

  /**
   * The compiled plan of pipeline {@code name} with {@code parameters} bound to it.
   *
   * @param parameters the run's values by name; may be null
   * @throws UnknownPipelineException if no definition has that name
   * @throws PlanValidationException if the plan breaks a rule or a parameter is unknown, missing or
   *     of the wrong type
   */
  public BoundPlan bind(String name, Map<String, Object> parameters) {
    PipelinePlan plan = plan(name);
    return new BoundPlan(plan, PipelineCompiler.bindParameters(plan, parameters));
  }
}
