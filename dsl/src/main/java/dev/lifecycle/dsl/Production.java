package dev.lifecycle.dsl;

/**
 * The model version the registry's {@code production} alias points at, as the champion a new model
 * must beat: {@code evaluate.metric("rmse").beats(production()).by(0.01)}.
 */
public final class Production {
  private final String modelName;

  Production(String modelName) {
    this.modelName = modelName;
  }

  /** The registry's model name; null means the one model the pipeline registers. */
  String modelName() {
    return modelName;
  }
}
