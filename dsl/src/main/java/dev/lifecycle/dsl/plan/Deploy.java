package dev.lifecycle.dsl.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Serves a registered model version at an endpoint of the worker, and moves the registry's {@code
 * production} alias to it. A deploy of a new version to an existing endpoint swaps the version in
 * without a failed request (or rolls it out as {@link Serving#rollout()} says).
 *
 * @param endpoint the endpoint's name, lower-case letters, digits and dashes
 * @param modelName the registry name of the model, the same as the register step's
 * @param model the registered model (the register step's {@code model} output)
 * @param version the registered version (the register step's {@code version} output)
 * @param serving how it is served; {@code null} means {@link Serving#DEFAULT}
 */
@Step.Kind("deploy")
public record Deploy(
    String name,
    String endpoint,
    String modelName,
    OutputRef model,
    OutputRef version,
    Serving serving,
    StepOptions options,
    List<String> after)
    implements Step {
  public Deploy {
    Objects.requireNonNull(name, "name");
    serving = serving == null ? Serving.DEFAULT : serving;
    options = Inputs.options(options);
    after = Inputs.copy(after);
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.deploy(this);
  }

  @Override
  public Map<String, Input> inputs() {
    return new Inputs()
        .put("model", model, ValueType.MODEL)
        .put("version", version, ValueType.INTEGER)
        .build();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of("endpoint", ValueType.STRING, "url", ValueType.STRING);
  }
}
