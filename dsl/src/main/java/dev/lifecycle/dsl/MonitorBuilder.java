package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Monitor;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches a deployed endpoint for data drift, for as long as it serves.
 *
 * <pre>{@code
 * p.monitor("watch", serve)
 *     .baseline(raw)
 *     .every(Duration.ofHours(1))
 *     .features("Length", "Whole.weight")
 *     .drift("psi", 0.2)
 *     .alertTo("https://hooks.example.com/ml-alerts")
 *     .retrain(Duration.ofDays(1), 3);
 * }</pre>
 *
 * <p>The step computes the baseline from the training data ({@code statistics.json} and {@code
 * constraints.json}, readable and editable) and starts the monitor {@code monitor/<endpoint>}, a
 * workflow that outlives the run. Defaults: every hour; every numeric or categorical column; PSI
 * above 0.25 for numbers and chi-square p below 0.05 for categories; alerts to the worker log only;
 * alert only, no retraining. With {@link #retrain}, a violation runs this pipeline again, at most
 * {@code limit} times and never twice within {@code cooldown}.
 */
public final class MonitorBuilder extends StepBuilder<MonitorBuilder> {
  private final DeployBuilder deploy;
  private Artifact.Dataset baseline;
  private Duration every = Duration.ofHours(1);
  private final List<String> features = new ArrayList<>();
  private final List<String> exclude = new ArrayList<>();
  private final List<Monitor.DriftRule> numericDrift = new ArrayList<>();
  private final List<Monitor.DriftRule> categoricalDrift = new ArrayList<>();
  private final List<String> webhooks = new ArrayList<>();
  private Monitor.OnViolation onViolation = Monitor.OnViolation.ALERT;
  private Duration cooldown;
  private Integer retrainLimit;
  private String capturedDataParameter;
  private boolean driftedDataOnly;
  private Double rangeMargin;
  private final java.util.Map<String, String> retrainParameters = new java.util.TreeMap<>();

  MonitorBuilder(String name, DeployBuilder deploy) {
    super(name);
    this.deploy = deploy;
  }

  /** The training data the baseline is computed from. */
  public MonitorBuilder baseline(Artifact.Dataset trainingData) {
    this.baseline = trainingData;
    return this;
  }

  /** One check per {@code period} (at least a minute; default an hour). */
  public MonitorBuilder every(Duration period) {
    this.every = period;
    return this;
  }

  /** Watch only these columns (default: every numeric or categorical one). */
  public MonitorBuilder features(String... columns) {
    features.addAll(List.of(columns));
    return this;
  }

  /** Leave these columns out when watching every column, e.g. the label. */
  public MonitorBuilder exclude(String... columns) {
    exclude.addAll(List.of(columns));
    return this;
  }

  /**
   * A drift check of numeric features: {@code psi}, {@code ks}, {@code jensen_shannon} or {@code
   * wasserstein}, drifting above {@code threshold} (below it for the {@code ks} p-value).
   */
  public MonitorBuilder drift(String method, double threshold) {
    numericDrift.add(new Monitor.DriftRule(method, threshold));
    return this;
  }

  /**
   * A drift check of categorical features: {@code chi_square} (drift when its p-value is below
   * {@code threshold}), {@code psi} or {@code jensen_shannon} (above).
   */
  public MonitorBuilder categoricalDrift(String method, double threshold) {
    categoricalDrift.add(new Monitor.DriftRule(method, threshold));
    return this;
  }

  /**
   * How far beyond the training data's min and max a numeric value may go before it counts as out
   * of range, as a fraction of the min-to-max span (default 0.1). A large margin leaves shifts to
   * the drift checks, e.g. for features whose extremes a small baseline cannot pin down.
   */
  public MonitorBuilder rangeMargin(double margin) {
    this.rangeMargin = margin;
    return this;
  }

  /** Post every alert as JSON to these URLs (besides the worker log). */
  public MonitorBuilder alertTo(String... urls) {
    webhooks.addAll(List.of(urls));
    return this;
  }

  /** On a violation, alert only (the default). */
  public MonitorBuilder alertOnly() {
    this.onViolation = Monitor.OnViolation.ALERT;
    this.cooldown = null;
    this.retrainLimit = null;
    return this;
  }

  /**
   * On a violation, alert and run this pipeline again, never twice within {@code cooldown} and at
   * most {@code limit} times in all.
   */
  public MonitorBuilder retrain(Duration cooldown, int limit) {
    this.onViolation = Monitor.OnViolation.RETRAIN;
    this.cooldown = cooldown;
    this.retrainLimit = limit;
    return this;
  }

  /**
   * Retraining runs get the data captured since the last retraining (or since the monitor started),
   * with the ground truth posted for it, as the {@code file:} URI of a Parquet dataset in string
   * parameter {@code parameter} of this pipeline — e.g. the source of an ingest step that feeds a
   * label step. With it, a violation when nothing was captured starts no run.
   */
  public MonitorBuilder withCapturedData(Param<String> parameter) {
    this.capturedDataParameter = parameter == null ? null : parameter.name();
    this.driftedDataOnly = false;
    return this;
  }

  /**
   * Like {@link #withCapturedData}, but retraining runs get only the data captured since the checks
   * started finding violations: the windows that drifted, i.e. the new normal the retrained model
   * must serve, without the older traffic before the drift.
   */
  public MonitorBuilder withDriftedData(Param<String> parameter) {
    withCapturedData(parameter);
    this.driftedDataOnly = true;
    return this;
  }

  /**
   * Retraining runs get {@code value} for string parameter {@code parameter} instead of this run's
   * value: e.g. a first run fine-tunes the base model, and every retraining run the model in
   * production, {@code .retrainWith(baseModel, "registry:fashion/production")}.
   */
  public MonitorBuilder retrainWith(Param<String> parameter, String value) {
    retrainParameters.put(parameter.name(), value);
    return this;
  }

  @Override
  Step build() {
    return new Monitor(
        name(),
        deploy == null ? null : new OutputRef(deploy.name(), "endpoint"),
        baseline == null ? null : baseline.operand(),
        every,
        features,
        exclude,
        numericDrift,
        categoricalDrift,
        webhooks,
        onViolation,
        cooldown,
        retrainLimit,
        capturedDataParameter,
        rangeMargin,
        driftedDataOnly,
        retrainParameters,
        options(),
        afterNames());
  }
}
