package dev.lifecycle.workflows.activities;

import java.util.Objects;

/**
 * A decision about a registered model version: approved or rejected, by whom and why. Sent by a
 * run's approval gate to the registry ({@code SetApproval}), and by the registry's REST API to the
 * run waiting on the version (signal {@code registry-approval}).
 *
 * @param modelName the registry's model name
 * @param version the version
 * @param approved true to approve, false to reject
 * @param approver who decided, or null
 * @param comment why, or null
 */
public record VersionApproval(
    String modelName, int version, boolean approved, String approver, String comment) {
  public VersionApproval {
    Objects.requireNonNull(modelName, "modelName");
  }
}
