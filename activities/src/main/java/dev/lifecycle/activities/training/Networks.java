package dev.lifecycle.activities.training;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The networks Lifecycle builds, shared by training and every consumer of a trained model, and the
 * stable names of their parameters.
 *
 * <p>DJL names parameters by position and class ({@code 05Linear_weight}), which changes whenever a
 * layer is added; users freeze and tune parameters by the names documented here instead:
 *
 * <ul>
 *   <li>MLP: {@code hidden1.weight}, {@code hidden1.bias}, ..., {@code hiddenN.*}, then {@code
 *       head.weight}, {@code head.bias};
 *   <li>CNN: {@code features.conv1.*}, {@code features.conv2.*}, {@code classifier.dense.*}, {@code
 *       head.*} (each {@code .weight} and {@code .bias});
 *   <li>TorchScript: the names torch gives, e.g. {@code features.0.weight}.
 * </ul>
 */
final class Networks {
  /** Filters of the CNN's two convolutions and units of its dense layer. */
  static final int CONV1 = 32;

  static final int CONV2 = 64;
  static final int DENSE = 128;

  private Networks() {}

  /** Linear layers of {@code hiddenLayers} widths, each followed by ReLU, then {@code outputs}. */
  static SequentialBlock mlp(List<Integer> hiddenLayers, int outputs) {
    SequentialBlock block = new SequentialBlock();
    for (int width : hiddenLayers) {
      block.add(Linear.builder().setUnits(width).build());
      block.add(Activation::relu);
    }
    block.add(head(outputs));
    return block;
  }

  /**
   * The CNN for images of shape (N, C, H, W) (C = 1 greyscale, 3 RGB): conv 3×3 (32) → ReLU →
   * max-pool 2 → conv 3×3 (64) → ReLU → max-pool 2 → dense 128 → ReLU → dense {@code outputs}.
   */
  static SequentialBlock cnn(int outputs) {
    SequentialBlock block = new SequentialBlock();
    block.add(conv(CONV1));
    block.add(Activation::relu);
    block.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    block.add(conv(CONV2));
    block.add(Activation::relu);
    block.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    block.add(Blocks.batchFlattenBlock());
    block.add(Linear.builder().setUnits(DENSE).build());
    block.add(Activation::relu);
    block.add(head(outputs));
    return block;
  }

  /** A fresh output layer of {@code outputs} units: the last layer of the MLP and of the CNN. */
  static Block head(int outputs) {
    return Linear.builder().setUnits(outputs).build();
  }

  private static Conv2d conv(int filters) {
    return Conv2d.builder()
        .setKernelShape(new Shape(3, 3))
        .optPadding(new Shape(1, 1))
        .setFilters(filters)
        .build();
  }

  /**
   * The parameters of {@code block} by their documented names (see the class comment), in network
   * order.
   */
  static Map<String, Parameter> parameters(String architecture, Block block) {
    Map<String, Parameter> named = new LinkedHashMap<>();
    if (architecture.equals(ModelMetadata.TORCHSCRIPT)) {
      for (Pair<String, Parameter> p : block.getParameters()) {
        named.put(p.getKey(), p.getValue());
      }
      return named;
    }
    List<Block> layers = new ArrayList<>();
    collectLayers(block, layers);
    List<String> names = layerNames(architecture, layers.size());
    for (int i = 0; i < layers.size(); i++) {
      for (Pair<String, Parameter> p : layers.get(i).getDirectParameters()) {
        named.put(names.get(i) + "." + p.getValue().getName(), p.getValue());
      }
    }
    return named;
  }

  private static List<String> layerNames(String architecture, int layers) {
    List<String> names = new ArrayList<>();
    if (architecture.equals(ModelMetadata.CNN)) {
      if (layers != 4) {
        throw new IllegalStateException("The CNN has 4 layers with parameters, not " + layers);
      }
      return List.of("features.conv1", "features.conv2", "classifier.dense", "head");
    }
    for (int i = 1; i < layers; i++) {
      names.add("hidden" + i);
    }
    names.add("head");
    return names;
  }

  /** The blocks that own parameters, depth first. */
  private static void collectLayers(Block block, List<Block> into) {
    if (!block.getDirectParameters().isEmpty()) {
      into.add(block);
    }
    for (Pair<String, Block> child : block.getChildren()) {
      collectLayers(child.getValue(), into);
    }
  }

  /**
   * The blocks a parameter name belongs to: every dotted prefix of every name, e.g. {@code
   * features} and {@code features.conv1} for {@code features.conv1.weight}.
   */
  static List<String> blocks(Iterable<String> parameterNames) {
    java.util.Set<String> blocks = new java.util.TreeSet<>();
    for (String name : parameterNames) {
      int dot = name.indexOf('.');
      while (dot > 0) {
        blocks.add(name.substring(0, dot));
        dot = name.indexOf('.', dot + 1);
      }
    }
    return List.copyOf(blocks);
  }
}
