package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Approval;
import dev.lifecycle.dsl.plan.Step;
import java.time.Duration;

/**
 * A gate where a person approves or rejects (REST API, the run page, or {@code temporal workflow
 * update --name approve}). Default: waits for ever.
 */
public final class ApprovalBuilder extends StepBuilder<ApprovalBuilder> {
  private String prompt;
  private Duration timeout;

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

  @Override
  Step build() {
    return new Approval(name(), prompt, timeout, afterNames());
  }
}
