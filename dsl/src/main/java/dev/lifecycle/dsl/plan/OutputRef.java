package dev.lifecycle.dsl.plan;

import java.util.Objects;

/** A reference to a named output of an earlier step, e.g. the {@code train} split of a split. */
public record OutputRef(String step, String output) implements Operand {
  public OutputRef {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(output, "output");
  }

  @Override
  public String describe() {
    return "output('" + step + "." + output + "')";
  }
}
