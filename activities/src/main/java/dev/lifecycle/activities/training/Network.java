package dev.lifecycle.activities.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A DJL model and what it takes to feed it: its architecture (an MLP, the CNN or a TorchScript
 * module) and the shape of one input row. Builds fresh networks, loads and saves weights in both
 * formats, and names parameters stably ({@link Networks#parameters}).
 *
 * <p>Weights are stored as DJL parameters ({@code model-NNNN.params}) for Lifecycle's own networks
 * and as a TorchScript file ({@value ModelBundle#TORCHSCRIPT_FILE}) for TorchScript modules, which
 * torch itself can load again.
 */
final class Network implements AutoCloseable {
  private final Model model;
  private final String architecture;
  private final List<Integer> rowShape;

  private Network(Model model, String architecture, List<Integer> rowShape) {
    this.model = model;
    this.architecture = architecture;
    this.rowShape = List.copyOf(rowShape);
  }

  /**
   * A new network with uninitialised weights.
   *
   * @param rowShape the shape of one input: {@code [C, H, W]} for images, {@code [features]} else
   */
  static Network create(
      String architecture, List<Integer> hiddenLayers, int outputs, List<Integer> rowShape) {
    Model model = Model.newInstance(ModelBundle.PARAMS_PREFIX, Device.cpu(), ModelBundle.ENGINE);
    model.setBlock(
        architecture.equals(ModelMetadata.CNN)
            ? Networks.cnn(outputs)
            : Networks.mlp(hiddenLayers, outputs));
    return new Network(model, architecture, rowShape);
  }

  /**
   * Loads the network of a Lifecycle model directory.
   *
   * @param trainable whether a TorchScript module's parameters may be trained (DJL's {@code
   *     trainParam}); DJL parameters are always trainable
   */
  static Network load(Path dir, ModelMetadata metadata, boolean trainable)
      throws IOException, MalformedModelException {
    List<Integer> rowShape = rowShape(metadata);
    if (metadata.architectureOrDefault().equals(ModelMetadata.TORCHSCRIPT)) {
      return torchScript(dir.resolve(ModelBundle.TORCHSCRIPT_FILE), rowShape, trainable);
    }
    Network network =
        create(
            metadata.architectureOrDefault(),
            metadata.hiddenLayers(),
            metadata.outputs(),
            rowShape);
    try {
      network.model.load(dir, ModelBundle.PARAMS_PREFIX);
      return network;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /** Loads the TorchScript module in {@code file}. */
  static Network torchScript(Path file, List<Integer> rowShape, boolean trainable)
      throws IOException, MalformedModelException {
    Model model = Model.newInstance(ModelBundle.PARAMS_PREFIX, Device.cpu(), ModelBundle.ENGINE);
    try {
      model.load(file, null, Map.of("trainParam", String.valueOf(trainable)));
      return new Network(model, ModelMetadata.TORCHSCRIPT, rowShape);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The input shape of one row for the model described by {@code metadata}. */
  static List<Integer> rowShape(ModelMetadata metadata) {
    return metadata.readsImages() && !metadata.architectureOrDefault().equals(ModelMetadata.MLP)
        ? metadata.inputShape()
        : List.of(metadata.inputWidth());
  }

  Model model() {
    return model;
  }

  String architecture() {
    return architecture;
  }

  boolean isTorchScript() {
    return architecture.equals(ModelMetadata.TORCHSCRIPT);
  }

  /** The shape of one input row, e.g. {@code [C, H, W]} for images. */
  List<Integer> rowShape() {
    return rowShape;
  }

  /** The shape of a batch of {@code rows} inputs. */
  Shape batchShape(int rows) {
    long[] dims = new long[rowShape.size() + 1];
    dims[0] = rows;
    for (int i = 0; i < rowShape.size(); i++) {
      dims[i + 1] = rowShape.get(i);
    }
    return new Shape(dims);
  }

  /** Replaces the last layer with a fresh, uninitialised one of {@code outputs} units. */
  void replaceHead(int outputs) {
    if (!(model.getBlock() instanceof SequentialBlock sequential)) {
      throw new IllegalStateException("Only Lifecycle's own networks can get a new head");
    }
    sequential.replaceLastBlock(Networks.head(outputs));
  }

  /** The parameters by their stable names; call once the network is initialised. */
  Map<String, Parameter> parameters() {
    return Networks.parameters(architecture, model.getBlock());
  }

  /**
   * Runs {@code body} with libtorch's gradient recording off on this thread, as {@code
   * torch.no_grad()} does, and restores the thread's previous mode after. Grad mode is per thread
   * in libtorch and on by default: DJL turns it off only on the thread that loads the engine. On
   * any other thread (activity, serving and test threads) a forward pass through parameters that
   * require gradients, as a network being trained has, records an autograd graph for a backward
   * pass that never comes. A loaded model's parameters require none, so there this is a guard.
   */
  static <T> T withoutGradients(java.util.function.Supplier<T> body) {
    boolean recording = JniUtils.isGradMode();
    if (recording) {
      JniUtils.setGradMode(false);
    }
    try {
      return body.get();
    } finally {
      if (recording) {
        JniUtils.setGradMode(true);
      }
    }
  }

  /** Writes the weights into {@code dir}, with {@code epoch} in the DJL file name. */
  void save(Path dir, int epoch) throws IOException {
    if (isTorchScript()) {
      try (OutputStream out =
          new BufferedOutputStream(
              Files.newOutputStream(dir.resolve(ModelBundle.TORCHSCRIPT_FILE)))) {
        JniUtils.writeModule((PtSymbolBlock) model.getBlock(), out, false);
      }
      return;
    }
    model.setProperty("Epoch", String.valueOf(epoch));
    model.save(dir, ModelBundle.PARAMS_PREFIX);
  }

  /** Loads weights that {@link #save} wrote, into this (non-TorchScript) network. */
  void loadWeights(Path dir) throws IOException, MalformedModelException {
    if (isTorchScript()) {
      throw new IllegalStateException("Reload a TorchScript checkpoint with torchScript(...)");
    }
    model.load(dir, ModelBundle.PARAMS_PREFIX);
  }

  /** The block, e.g. to initialise it. */
  Block block() {
    return model.getBlock();
  }

  @Override
  public void close() {
    model.close();
  }
}
