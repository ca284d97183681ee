package dev.lifecycle.dsl.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A compiled pipeline: what the interpreter runs. Immutable; round-trips through JSON ({@link
 * PlanJson}) with a schema version, and holds no timestamps or tool versions, so golden files
 * compare exactly.
 *
 * @param schemaVersion the IR's version ({@link #SCHEMA_VERSION} when written by this code)
 * @param name the pipeline's name
 * @param description what it does, for people
 * @param parameters typed parameters with defaults
 * @param steps top-level steps in definition order; condition branches nest inside them
 * @param successCriteria the business goal the run is judged by (e.g. {@code f1 >= 0.85}), over
 *     metrics some step produces and parameters; null when the pipeline states none
 */
public record PipelinePlan(
    int schemaVersion,
    String name,
    String description,
    List<Parameter> parameters,
    List<Step> steps,
    Expr successCriteria) {

  /** The IR version this code writes and reads. */
  public static final int SCHEMA_VERSION = 1;

  public PipelinePlan {
    Objects.requireNonNull(name, "pipeline name");
    description = description == null ? "" : description;
    parameters = parameters == null ? List.of() : List.copyOf(parameters);
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** A plan without success criteria. */
  public PipelinePlan(
      int schemaVersion,
      String name,
      String description,
      List<Parameter> parameters,
      List<Step> steps) {
    this(schemaVersion, name, description, parameters, steps, null);
  }

  /** This plan with {@code steps} instead of its own. */
  public PipelinePlan withSteps(List<Step> steps) {
    return new PipelinePlan(schemaVersion, name, description, parameters, steps, successCriteria);
  }

  /** Every step, branch steps included, in definition order (a condition before its branches). */
  @JsonIgnore
  public List<Step> allSteps() {
    List<Step> all = new ArrayList<>();
    collect(steps, all);
    return List.copyOf(all);
  }

  private static void collect(List<Step> steps, List<Step> into) {
    for (Step step : steps) {
      into.add(step);
      if (step instanceof Condition c) {
        collect(c.then(), into);
        collect(c.otherwise(), into);
      }
    }
  }

  /** The step named {@code name}, wherever it is. */
  public Optional<Step> step(String name) {
    return allSteps().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The parameter named {@code name}. */
  public Optional<Parameter> parameter(String name) {
    return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
