package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Approval;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Step;
import java.time.Duration;

/**
 * A gate where a person approves or rejects (REST API, the run page, or {@code temporal workflow
 * update --name approve}). Default: waits for ever.
 *
 * <pre>{@code
 * var register = p.register("register", "abalone-age", train.model()).metrics(evaluate);
 * p.approval("sign-off").ofVersion(register).prompt("Ship this model?");
 * }</pre>
 */
public final class ApprovalBuilder extends StepBuilder<ApprovalBuilder> {
  private String prompt;
  private Duration timeout;
  private RegisterBuilder register;

  ApprovalBuilder(String name) {
    super(name);
  }

  /** What the approver is asked. */
  public ApprovalBuilder prompt(String prompt) {
    this.prompt = prompt;
    return this;
  }

  /** Reject by itself after {@code timeout} without an answer. */
  public ApprovalBuilder expiresAfter(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /**
   * Makes the gate about the version {@code register} registered: the decision becomes the
   * version's approval status in the registry (approved or rejected, with approver and comment),
   * and approving or rejecting the version in the registry ({@code POST
   * /api/models/{name}/versions/{v}/approve}) answers the gate.
   */
  public ApprovalBuilder ofVersion(RegisterBuilder register) {
    this.register = register;
    return this;
  }

  @Override
  Step build() {
    return new Approval(
        name(),
        prompt,
        timeout,
        register == null ? null : register.modelName(),
        register == null ? null : new OutputRef(register.name(), "version"),
        afterNames());
  }
}
