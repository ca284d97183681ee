package dev.lifecycle.dsl.compile;

import java.util.List;
import java.util.stream.Collectors;

/** A plan that breaks the compiler's rules; carries every problem found, not just the first. */
public class PlanValidationException extends RuntimeException {
  private final String pipeline;
  private final List<Problem> problems;

  public PlanValidationException(String pipeline, List<Problem> problems) {
    super(message(pipeline, problems));
    this.pipeline = pipeline;
    this.problems = List.copyOf(problems);
  }

  private static String message(String pipeline, List<Problem> problems) {
    String header =
        "Pipeline '"
            + pipeline
            + "' has "
            + problems.size()
            + (problems.size() == 1 ? " problem:" : " problems:");
    return header
        + problems.stream().map(p -> "\n  - " + p.message()).collect(Collectors.joining());
  }

  /** The pipeline's name. */
  public String pipeline() {
    return pipeline;
  }

  /**
   * Whether every problem is about the run's parameter values (unknown, missing or mistyped), not
   * about the plan itself: the run's input must change, not the pipeline.
   */
  public boolean parametersOnly() {
    return !problems.isEmpty()
        && problems.stream()
            .allMatch(
                p ->
                    p.step() == null
                        && (p.rule().equals(Rules.UNKNOWN_PARAMETER)
                            || p.rule().equals(Rules.MISSING_PARAMETER)
                            || p.rule().equals(Rules.INVALID_PARAMETER)));
  }

  /** Every problem, in plan order. */
  public List<Problem> problems() {
    return problems;
  }
}
