package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Deploy;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Serving;
import dev.lifecycle.dsl.plan.Step;
import java.time.Duration;

/**
 * Serves the version a register step registered at an endpoint of the worker, and moves the
 * registry's {@code production} alias to it.
 *
 * <pre>{@code
 * b.deploy("serve", register)
 *     .endpoint("abalone-age")
 *     .batching(32, Duration.ofMillis(5))
 *     .canary(10, Duration.ofMinutes(5))
 *     .alarms(0.05, Duration.ofMillis(200))
 *     .capture(0.2);
 * }</pre>
 *
 * <p>Defaults: the endpoint is named after the model; a real-time endpoint ({@code POST
 * /endpoints/{name}/invocations}); no batching; a new version takes all traffic at once (hot swap);
 * no data capture. {@link #async()} queues requests durably and answers them by id; {@link
 * #serverless(Duration)} loads the model on the first request and unloads it when idle.
 */
public final class DeployBuilder extends StepBuilder<DeployBuilder> {
  private final RegisterBuilder register;
  private String endpoint;
  private Serving.Mode mode = Serving.Mode.REALTIME;
  private Integer maxBatchSize;
  private Duration maxBatchDelay;
  private Serving.Rollout rollout;
  private Integer canaryPercent;
  private Duration bake;
  private Double maxErrorRate;
  private Duration maxP99Latency;
  private Duration idle;
  private Double captureFraction;

  DeployBuilder(String name, RegisterBuilder register) {
    super(name);
    this.register = register;
  }

  /** The endpoint's name: lower-case letters, digits and dashes. Default: the model's name. */
  public DeployBuilder endpoint(String endpoint) {
    this.endpoint = endpoint;
    return this;
  }

  /** A real-time endpoint, answered in the response (the default). */
  public DeployBuilder realtime() {
    this.mode = Serving.Mode.REALTIME;
    return this;
  }

  /** Requests are queued durably and answered later by id; they survive a worker restart. */
  public DeployBuilder async() {
    this.mode = Serving.Mode.ASYNC;
    return this;
  }

  /**
   * Real-time, but scaled to zero: the model loads on the first request and unloads after {@code
   * idle} without one.
   */
  public DeployBuilder serverless(Duration idle) {
    this.mode = Serving.Mode.SERVERLESS;
    this.idle = idle;
    return this;
  }

  /**
   * Dynamic batching: up to {@code maxBatchSize} requests (1 to 1024) answered by one model call;
   * the first request of a batch waits at most {@code maxDelay} for others.
   */
  public DeployBuilder batching(int maxBatchSize, Duration maxDelay) {
    this.maxBatchSize = maxBatchSize;
    this.maxBatchDelay = maxDelay;
    return this;
  }

  /**
   * A new version gets {@code percent} (1 to 99) of the requests for {@code bake}, watched by the
   * {@linkplain #alarms alarms}, then all of them; an alarm rolls it back.
   */
  public DeployBuilder canary(int percent, Duration bake) {
    this.rollout = Serving.Rollout.CANARY;
    this.canaryPercent = percent;
    this.bake = bake;
    return this;
  }

  /**
   * A new version is loaded beside the serving one and takes all traffic; the old one stays warm
   * for {@code bake}, and an alarm in that time switches back to it.
   */
  public DeployBuilder blueGreen(Duration bake) {
    this.rollout = Serving.Rollout.BLUE_GREEN;
    this.bake = bake;
    return this;
  }

  /**
   * The alarms that roll a canary or blue/green rollout back: a share of failed requests above
   * {@code maxErrorRate} (0 to 1, default 0.05), or a 99th-percentile latency above {@code
   * maxP99Latency} (null: no latency alarm).
   */
  public DeployBuilder alarms(double maxErrorRate, Duration maxP99Latency) {
    this.maxErrorRate = maxErrorRate;
    this.maxP99Latency = maxP99Latency;
    return this;
  }

  /**
   * Writes {@code fraction} (0 to 1) of the requests and responses, with a request id, to the
   * capture store, for monitoring and for ground truth posted later.
   */
  public DeployBuilder capture(double fraction) {
    this.captureFraction = fraction;
    return this;
  }

  /** The endpoint's name, as deployed. */
  public Value<String> endpointName() {
    return () -> new OutputRef(name(), "endpoint");
  }

  /** The endpoint's name as written in the DSL (the model's name when not set). */
  String endpointOrDefault() {
    if (endpoint != null) {
      return endpoint;
    }
    return register == null ? null : register.modelName();
  }

  @Override
  Step build() {
    Serving serving =
        new Serving(
            mode,
            maxBatchSize,
            maxBatchDelay,
            rollout,
            canaryPercent,
            bake,
            maxErrorRate,
            maxP99Latency,
            idle,
            captureFraction);
    return new Deploy(
        name(),
        endpointOrDefault(),
        register == null ? null : register.modelName(),
        register == null ? null : new OutputRef(register.name(), "model"),
        register == null ? null : new OutputRef(register.name(), "version"),
        serving.equals(Serving.DEFAULT) ? null : serving,
        options(),
        afterNames());
  }
}
