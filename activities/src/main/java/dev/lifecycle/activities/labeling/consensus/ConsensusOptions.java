package dev.lifecycle.activities.labeling.consensus;

import java.util.Objects;

/**
 * How {@link Consensus} settles an item and when it asks for more annotators. Immutable; build with
 * {@link #newBuilder()}:
 *
 * <pre>{@code
 * ConsensusOptions.newBuilder()
 *     .setAgreementThreshold(0.7)   // default 0.6
 *     .setMaxAnnotatorsPerItem(7)   // default 5
 *     .setTiePolicy(TiePolicy.UNRESOLVED) // default SCHEMA_ORDER
 *     .build();
 * }</pre>
 *
 * @param agreementThreshold the smallest share of vote weight on the winning class for an item to
 *     be settled, in (0, 1]
 * @param maxAnnotatorsPerItem the most annotators one item may get, escalations included
 * @param tiePolicy the label of a tied item
 */
public record ConsensusOptions(
    double agreementThreshold, int maxAnnotatorsPerItem, TiePolicy tiePolicy) {
  /** Default {@link #agreementThreshold()}: a 2-of-3 majority settles an item, 1-of-2 does not. */
  public static final double DEFAULT_AGREEMENT_THRESHOLD = 0.6;

  /** Default {@link #maxAnnotatorsPerItem()}. */
  public static final int DEFAULT_MAX_ANNOTATORS_PER_ITEM = 5;

  /** Checks the ranges. */
  public ConsensusOptions {
    if (!(agreementThreshold > 0 && agreementThreshold <= 1)) {
      throw new IllegalArgumentException(
          "agreementThreshold must be in (0, 1], got " + agreementThreshold);
    }
    if (maxAnnotatorsPerItem < 1) {
      throw new IllegalArgumentException(
          "maxAnnotatorsPerItem must be at least 1, got " + maxAnnotatorsPerItem);
    }
    Objects.requireNonNull(tiePolicy, "tiePolicy");
  }

  /** The defaults: threshold 0.6, at most 5 annotators per item, ties broken by schema order. */
  public static ConsensusOptions defaults() {
    return newBuilder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Builder for {@link ConsensusOptions}. */
  public static final class Builder {
    private double agreementThreshold = DEFAULT_AGREEMENT_THRESHOLD;
    private int maxAnnotatorsPerItem = DEFAULT_MAX_ANNOTATORS_PER_ITEM;
    private TiePolicy tiePolicy = TiePolicy.SCHEMA_ORDER;

    private Builder() {}

    /** See {@link ConsensusOptions#agreementThreshold()}. */
    public Builder setAgreementThreshold(double agreementThreshold) {
      this.agreementThreshold = agreementThreshold;
      return this;
    }

    /** See {@link ConsensusOptions#maxAnnotatorsPerItem()}. */
    public Builder setMaxAnnotatorsPerItem(int maxAnnotatorsPerItem) {
      this.maxAnnotatorsPerItem = maxAnnotatorsPerItem;
      return this;
    }

    /** See {@link ConsensusOptions#tiePolicy()}. */
    public Builder setTiePolicy(TiePolicy tiePolicy) {
      this.tiePolicy = tiePolicy;
      return this;
    }

    /** The options; checks the ranges. */
    public ConsensusOptions build() {
      return new ConsensusOptions(agreementThreshold, maxAnnotatorsPerItem, tiePolicy);
    }
  }
}
