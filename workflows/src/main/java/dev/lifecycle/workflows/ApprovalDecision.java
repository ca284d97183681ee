package dev.lifecycle.workflows;

/**
 * A person's answer at an approval gate, e.g. {@code {"step": "approve-deploy", "approved": true,
 * "approver": "ana", "comment": "metrics look right"}}.
 *
 * @param step the gate; may be left out when exactly one gate waits
 * @param approved true to go on, false to fail the run; default true
 * @param approver who decided
 * @param comment why
 */
public record ApprovalDecision(String step, Boolean approved, String approver, String comment) {
  /** Whether this decision approves (an absent {@code approved} counts as yes). */
  public boolean isApproval() {
    return approved == null || approved;
  }
}
