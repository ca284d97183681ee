package dev.lifecycle.dsl.plan;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Waits for a person to approve or reject, for as long as it takes (a durable wait costs nothing).
 * Approved, the run goes on; rejected or timed out, the run fails naming who rejected it and why.
 *
 * @param prompt what the approver is asked
 * @param timeout how long to wait, or {@code null} for ever
 */
@Step.Kind("approval")
public record Approval(String name, String prompt, Duration timeout, List<String> after)
    implements Step {
  public Approval {
    Objects.requireNonNull(name, "name");
    prompt = prompt == null ? "Approve step '" + name + "'?" : prompt;
    after = Inputs.copy(after);
  }

  @Override
  public StepOptions options() {
    return StepOptions.DEFAULT;
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.approval(this);
  }

  @Override
  public Map<String, Input> inputs() {
    return Map.of();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of("approver", ValueType.STRING, "comment", ValueType.STRING);
  }
}
