package dev.lifecycle.activities.training;

/**
 * The stopping rule of early stopping, apart from training: fed one loss per epoch, it says whether
 * the epoch improved on the best so far (by more than {@code minDelta}) and whether {@code
 * patience} epochs in a row have passed without improvement. Its state is a value, so that a
 * checkpoint can carry it and a resumed run stops at the same epoch as an uninterrupted one.
 *
 * <pre>{@code
 * EarlyStoppingRule rule = new EarlyStoppingRule(0.01, 2);
 * EarlyStoppingRule.State state = EarlyStoppingRule.State.START;
 * state = rule.observe(state, 1, 0.90); // improved: best epoch 1
 * state = rule.observe(state, 2, 0.895); // not by more than 0.01: 1 epoch without improvement
 * state = rule.observe(state, 3, 0.90); // 2 epochs without improvement: state.stop() is true
 * }</pre>
 */
final class EarlyStoppingRule {
  private final double minDelta;
  private final int patience;

  /**
   * A rule stopping after {@code patience} (at least 1) epochs without a decrease of more than
   * {@code minDelta} (at least 0).
   */
  EarlyStoppingRule(double minDelta, int patience) {
    if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new IllegalArgumentException("minDelta must be finite and at least 0, got " + minDelta);
    }
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be at least 1, got " + patience);
    }
    this.minDelta = minDelta;
    this.patience = patience;
  }

  /**
   * Where the rule stands after some epochs.
   *
   * @param best the lowest loss of an improving epoch, or {@code null} before the first epoch
   * @param bestEpoch the epoch of {@code best} (0 before the first epoch)
   * @param sinceBest epochs since {@code bestEpoch}
   * @param stop whether training should stop
   */
  record State(Double best, int bestEpoch, int sinceBest, boolean stop) {
    /** Before the first epoch. */
    static final State START = new State(null, 0, 0, false);

    /** Whether {@code epoch} was the best epoch. */
    boolean improvedAt(int epoch) {
      return bestEpoch == epoch;
    }
  }

  /**
   * The state after epoch {@code epoch} ended with {@code loss}. The first finite loss always
   * improves; a NaN or infinite loss never does.
   */
  State observe(State state, int epoch, double loss) {
    boolean improved =
        Double.isFinite(loss) && (state.best() == null || loss < state.best() - minDelta);
    if (improved) {
      return new State(loss, epoch, 0, false);
    }
    int since = state.sinceBest() + 1;
    return new State(state.best(), state.bestEpoch(), since, since >= patience);
  }
}
