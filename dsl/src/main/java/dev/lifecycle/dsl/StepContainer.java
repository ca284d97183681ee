package dev.lifecycle.dsl;

import dev.lifecycle.dsl.compile.Problem;
import dev.lifecycle.dsl.plan.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Where steps are declared: a {@link Pipeline}, or a {@link Branch} of a condition. */
public abstract class StepContainer {
  private final List<StepBuilder<?>> steps = new ArrayList<>();

  StepContainer() {}

  private <B extends StepBuilder<?>> B add(B builder) {
    steps.add(builder);
    return builder;
  }

  /** Reads a CSV or Parquet source into a versioned dataset. */
  public IngestBuilder ingest(String name) {
    return add(new IngestBuilder(name));
  }

  /** Splits {@code dataset} into train, validation and test sets. */
  public SplitBuilder split(String name, Artifact.Dataset dataset) {
    return add(new SplitBuilder(name, dataset));
  }

  /** Feature engineering over the three sets of {@code split}. */
  public FeaturesBuilder features(String name, SplitBuilder split) {
    return add(new FeaturesBuilder(name, split.train(), split.validation(), split.test()));
  }

  /** Feature engineering fitted on {@code train} and applied to all three sets. */
  public FeaturesBuilder features(
      String name, Artifact.Dataset train, Artifact.Dataset validation, Artifact.Dataset test) {
    return add(new FeaturesBuilder(name, train, validation, test));
  }

  /** Trains a model on {@code train}. */
  public TrainBuilder train(String name, Artifact.Dataset train) {
    return add(new TrainBuilder(name, train));
  }

  /** Scores {@code model} on {@code dataset}. */
  public EvaluateBuilder evaluate(String name, Artifact.Model model, Artifact.Dataset dataset) {
    return add(new EvaluateBuilder(name, model, dataset));
  }

  /** Registers {@code model} as a new version of {@code modelName} in the model registry. */
  public RegisterBuilder register(String name, String modelName, Artifact.Model model) {
    return add(new RegisterBuilder(name, modelName, model));
  }

  /**
   * Serves the version that {@code register} registered at an endpoint, and moves the registry's
   * {@code production} alias to it; see {@link DeployBuilder}.
   */
  public DeployBuilder deploy(String name, RegisterBuilder register) {
    return add(new DeployBuilder(name, register));
  }

  /**
   * Watches the endpoint {@code deploy} serves: a baseline from the training data, checks on a
   * schedule, alerts, optionally retraining; see {@link MonitorBuilder}.
   */
  public MonitorBuilder monitor(String name, DeployBuilder deploy) {
    return add(new MonitorBuilder(name, deploy));
  }

  /** Writes {@code model}'s predictions for every row of {@code dataset}. */
  public BatchTransformBuilder batchTransform(
      String name, Artifact.Model model, Artifact.Dataset dataset) {
    return add(new BatchTransformBuilder(name, model, dataset));
  }

  /** Has people (and optionally a model) label {@code dataset}; see {@link LabelBuilder}. */
  public LabelBuilder label(String name, Artifact.Dataset dataset) {
    return add(new LabelBuilder(name, dataset));
  }

  /** Branches on {@code when}. */
  public ConditionBuilder condition(String name, Check when) {
    return add(new ConditionBuilder(name, when));
  }

  /** Waits for a person's approval. */
  public ApprovalBuilder approval(String name) {
    return add(new ApprovalBuilder(name));
  }

  /** Fails the run; each {@code {}} in {@code message} shows the next of {@code args}. */
  public FailBuilder fail(String name, String message, Value<?>... args) {
    return add(new FailBuilder(name, message, Arrays.stream(args).map(Value::operand).toList()));
  }

  List<Problem> unbuildable() {
    return steps.stream().flatMap(s -> s.unbuildable().stream()).toList();
  }

  List<Step> buildSteps() {
    return steps.stream().map(StepBuilder::build).toList();
  }
}
