package dev.lifecycle.activities.deployment.serving;

import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.activities.training.ModelMetadata;

/**
 * A loaded model an endpoint calls: {@link ModelBundle} in production, a wrapper in tests (to
 * inject failures or count calls). {@link #predict} may be called from several threads at once.
 */
public interface Predictor extends AutoCloseable {

  /** What the model reads and returns. */
  ModelMetadata metadata();

  /**
   * The outputs for the first {@code count} rows, as {@link ModelBundle#predict(float[][], int)}:
   * one value per row for regression, one probability per class per row for classification.
   */
  float[] predict(float[][] rows, int count);

  @Override
  void close();

  /** A predictor over a loaded bundle; closing it closes the bundle. */
  static Predictor of(ModelBundle bundle) {
    return new Predictor() {
      @Override
      public ModelMetadata metadata() {
        return bundle.metadata();
      }

      @Override
      public float[] predict(float[][] rows, int count) {
        return bundle.predict(rows, count);
      }

      @Override
      public void close() {
        bundle.close();
      }
    };
  }
}
