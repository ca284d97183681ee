package dev.lifecycle.dsl.compile;

/**
 * One thing wrong with a plan.
 *
 * @param step the offending step, or {@code null} for the pipeline itself (e.g. a parameter)
 * @param rule which rule it breaks, one of {@link Rules}
 * @param message what is wrong, quoting the offender, with a hint how to fix it
 */
public record Problem(String step, String rule, String message) {
  @Override
  public String toString() {
    return message;
  }
}
