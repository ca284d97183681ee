package dev.lifecycle.activities.deployment.serving;

import dev.lifecycle.activities.data.FeatureTransform;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.activities.training.ModelMetadata;

/**
 * Loads model versions for the runtime. {@link #metadata} and {@link #transform} are cheap (a
 * serverless endpoint validates requests before it loads the weights); {@link #load} loads the
 * weights.
 */
public interface ModelLoader {

  /** What {@code spec} reads and returns, without loading its weights. */
  ModelMetadata metadata(ModelSpec spec);

  /** {@code spec} loaded and ready to predict. */
  Predictor load(ModelSpec spec);

  /** The fitted feature transform of {@code spec}, or null when it has none. */
  FeatureTransform transform(ModelSpec spec);

  /** Loads models from {@code artifacts} with {@link ModelBundle}. */
  static ModelLoader fromArtifacts(ArtifactStore artifacts) {
    return new ModelLoader() {
      @Override
      public ModelMetadata metadata(ModelSpec spec) {
        return ModelBundle.readMetadata(artifacts.resolve(spec.artifact()));
      }

      @Override
      public Predictor load(ModelSpec spec) {
        return Predictor.of(ModelBundle.load(artifacts.resolve(spec.artifact())));
      }

      @Override
      public FeatureTransform transform(ModelSpec spec) {
        return spec.transform() == null
            ? null
            : FeatureTransform.read(artifacts.resolve(spec.transform()));
      }
    };
  }
}
