package dev.lifecycle.activities.training;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.List;

/** The multilayer perceptron shared by training and every consumer of a trained model. */
final class Networks {
  private Networks() {}

  /** Linear layers of {@code hiddenLayers} widths, each followed by ReLU, then {@code outputs}. */
  static SequentialBlock mlp(List<Integer> hiddenLayers, int outputs) {
    SequentialBlock block = new SequentialBlock();
    for (int width : hiddenLayers) {
      block.add(Linear.builder().setUnits(width).build());
      block.add(Activation::relu);
    }
    block.add(Linear.builder().setUnits(outputs).build());
    return block;
  }
}
