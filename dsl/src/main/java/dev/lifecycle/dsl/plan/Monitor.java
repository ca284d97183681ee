package dev.lifecycle.dsl.plan;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Watches a deployed endpoint for as long as it serves: computes a baseline (per-feature statistics
 * and suggested constraints, {@code statistics.json} and {@code constraints.json}) from the
 * training data, then starts a durable monitor (workflow {@code monitor/<endpoint>}) that checks
 * each window of captured requests against it every {@code every}, alerts on violations and, if
 * asked, retrains by running this pipeline again. The monitor outlives the run; a run that finds
 * one already watching the endpoint leaves it running and gives it this run's baseline (the run has
 * just deployed a new version, whose training data is the new normal).
 *
 * @param endpoint the deploy step's {@code endpoint} output
 * @param baseline the dataset the baseline is computed from (the training data)
 * @param every the schedule: one check per period (at least one minute)
 * @param features the columns to watch; empty means every numeric or categorical column not
 *     excluded
 * @param exclude columns left out when {@code features} is empty (e.g. the label)
 * @param numericDrift drift checks of numeric features; empty means PSI above 0.25
 * @param categoricalDrift drift checks of categorical features; empty means chi-square p below 0.05
 * @param webhooks URLs that get every alert as an HTTP POST with a JSON body (alerts go to the
 *     worker log in any case)
 * @param onViolation alert only (default), or alert and retrain
 * @param cooldown retraining: the least time between two retraining runs
 * @param retrainLimit retraining: the most retraining runs the monitor ever starts
 * @param capturedDataParameter retraining: the pipeline parameter (a string) that gets the {@code
 *     file:} URI of the data captured since the last retraining, with its ground truth; null when
 *     the retraining run gets none
 * @param rangeMargin how far beyond the baseline's min and max (as a fraction of its span) a
 *     numeric value may go before it is out of range; null means 0.1
 * @param driftedDataOnly retraining with captured data: true hands over only the data captured
 *     since the checks started finding violations (the drifted windows), rather than everything
 *     since the last retraining; null means false
 * @param retrainParameters retraining: string parameters whose value in retraining runs differs
 *     from this run's (e.g. the model to fine-tune from); null or empty when they get this run's
 */
@Step.Kind("monitor")
public record Monitor(
    String name,
    OutputRef endpoint,
    OutputRef baseline,
    Duration every,
    List<String> features,
    List<String> exclude,
    List<DriftRule> numericDrift,
    List<DriftRule> categoricalDrift,
    List<String> webhooks,
    OnViolation onViolation,
    Duration cooldown,
    Integer retrainLimit,
    String capturedDataParameter,
    Double rangeMargin,
    Boolean driftedDataOnly,
    Map<String, String> retrainParameters,
    StepOptions options,
    List<String> after)
    implements Step {

  /** Drift methods by their JSON names, as baselines spell them. */
  public static final List<String> METHODS =
      List.of("psi", "ks", "jensen_shannon", "wasserstein", "chi_square");

  /** Methods that apply to numeric features. */
  public static final Set<String> NUMERIC_METHODS =
      Set.of("psi", "ks", "jensen_shannon", "wasserstein");

  /** Methods that apply to categorical features. */
  public static final Set<String> CATEGORICAL_METHODS =
      Set.of("psi", "jensen_shannon", "chi_square");

  /** Methods whose value is a p-value: drift when below the threshold. */
  public static final Set<String> P_VALUE_METHODS = Set.of("ks", "chi_square");

  public Monitor {
    Objects.requireNonNull(name, "name");
    features = Inputs.copy(features);
    exclude = Inputs.copy(exclude);
    numericDrift = numericDrift == null ? List.of() : List.copyOf(numericDrift);
    categoricalDrift = categoricalDrift == null ? List.of() : List.copyOf(categoricalDrift);
    webhooks = Inputs.copy(webhooks);
    driftedDataOnly = Boolean.TRUE.equals(driftedDataOnly) ? Boolean.TRUE : null;
    retrainParameters =
        retrainParameters == null || retrainParameters.isEmpty()
            ? null
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(retrainParameters));
    onViolation = onViolation == null ? OnViolation.ALERT : onViolation;
    options = Inputs.options(options);
    after = Inputs.copy(after);
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.monitor(this);
  }

  @Override
  public Map<String, Input> inputs() {
    return new Inputs()
        .put("endpoint", endpoint, ValueType.STRING)
        .put("baseline", baseline, ValueType.DATASET)
        .build();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of("monitor", ValueType.STRING, "baseline", ValueType.REPORT);
  }

  /**
   * One drift check: the method ({@link #METHODS}) and its threshold (drift when above, or below
   * for p-values).
   */
  public record DriftRule(String method, double threshold) {
    public DriftRule {
      Objects.requireNonNull(method, "method");
    }
  }

  /** What the monitor does when a check finds violations. */
  public enum OnViolation {
    /** Alert only. */
    ALERT,
    /** Alert, and run the pipeline again (within the cooldown and the limit). */
    RETRAIN
  }
}
