package dev.lifecycle.dsl.plan;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Waits for a person to approve or reject, for as long as it takes (a durable wait costs nothing).
 * Approved, the run goes on; rejected or timed out, the run fails naming who rejected it and why.
 *
 * <p>A gate about a registered model version ({@code modelName} and {@code version} set) records
 * the decision in the registry as the version's approval status, and opens as well when someone
 * approves or rejects that version in the registry (REST API).
 *
 * @param prompt what the approver is asked
 * @param timeout how long to wait, or {@code null} for ever
 * @param modelName the registry's model the gate is about, or null
 * @param version the register step's {@code version} output the gate is about, or null
 */
@Step.Kind("approval")
public record Approval(
    String name,
    String prompt,
    Duration timeout,
    String modelName,
    OutputRef version,
    List<String> after)
    implements Step {
  public Approval {
    Objects.requireNonNull(name, "name");
    prompt = prompt == null ? "Approve step '" + name + "'?" : prompt;
    after = Inputs.copy(after);
  }

  /** A gate about no model version. */
  public Approval(String name, String prompt, Duration timeout, List<String> after) {
    this(name, prompt, timeout, null, null, after);
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
    return new Inputs().put("version", version, ValueType.INTEGER).build();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of("approver", ValueType.STRING, "comment", ValueType.STRING);
  }
}
