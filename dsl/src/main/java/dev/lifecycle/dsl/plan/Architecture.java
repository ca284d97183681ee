package dev.lifecycle.dsl.plan;

/** The network a train step builds when it does not start from a pretrained model. */
public enum Architecture {
  /**
   * A multilayer perceptron over the numeric columns (or the flattened pixels of an image dataset):
   * the train step's hidden layers, each followed by ReLU, then the output layer.
   */
  MLP,
  /**
   * A small convolutional network for greyscale images, classification only: conv 3×3 (32) → ReLU →
   * max-pool 2 → conv 3×3 (64) → ReLU → max-pool 2 → dense 128 → ReLU → dense (one unit per class).
   * Its parameters have stable names, so a fine-tuning step can freeze them by name: {@code
   * features.conv1.weight}, {@code features.conv1.bias}, {@code features.conv2.weight}, {@code
   * features.conv2.bias}, {@code classifier.dense.weight}, {@code classifier.dense.bias}, {@code
   * head.weight}, {@code head.bias}.
   */
  CNN
}
