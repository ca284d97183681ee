package dev.lifecycle.activities.store;

/** Where a model version stands with the people who approve models for use. */
public enum ApprovalStatus {
  /** Registered, not yet decided. Every version starts here. */
  PENDING,
  /** Approved for deployment. */
  APPROVED,
  /** Rejected: must not be deployed. */
  REJECTED
}
