package dev.lifecycle.activities.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Adam whose state (step counts and both moment estimates) can be saved with a checkpoint and
 * restored, so that a resumed run continues exactly where the interrupted one stopped. DJL's own
 * {@code Adam} keeps its moments private and keys them by parameter ids that change every time a
 * network is built; this one keys them by the parameters' structural names. The update itself is
 * DJL's (the engine's fused Adam kernel, called with the same arguments), so training behaves as
 * with {@code Optimizer.adam()}.
 *
 * <p>For fine-tuning, each parameter may have its own learning rate, and frozen parameters are
 * skipped: they get no update and no state, even if something hands them a gradient.
 */
final class ResumableAdam extends Optimizer {
  private static final int MAGIC = 0x4C434144; // "LCAD"
  private static final int VERSION = 1;

  private final float learningRate;
  private final float beta1 = 0.9f;
  private final float beta2 = 0.999f;
  private final float epsilon = 1e-8f;
  private final NDManager stateManager;
  private final Map<String, String> nameById = new HashMap<>();
  private final Map<String, Float> rateByName = new HashMap<>();
  private final Set<String> frozen = new HashSet<>();
  private final Map<String, NDArray> means = new TreeMap<>();
  private final Map<String, NDArray> variances = new TreeMap<>();
  private final Map<String, Integer> steps = new TreeMap<>();

  /** An optimizer whose state arrays live in {@code stateManager}. */
  ResumableAdam(float learningRate, NDManager stateManager) {
    super(new Builder());
    this.learningRate = learningRate;
    this.stateManager = stateManager;
  }

  /**
   * Learns the stable name of every parameter to train; call after initialising the network.
   *
   * @param parameters every parameter by name ({@link Network#parameters()})
   * @param rates learning rates of some parameters by name; the others use the default rate
   * @param frozen names of parameters never to update
   */
  void bind(Map<String, Parameter> parameters, Map<String, Float> rates, Set<String> frozen) {
    nameById.clear();
    rateByName.clear();
    this.frozen.clear();
    parameters.forEach((name, parameter) -> nameById.put(parameter.getId(), name));
    rateByName.putAll(rates);
    this.frozen.addAll(frozen);
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    String name = nameById.get(parameterId);
    if (name == null) {
      throw new IllegalStateException(
          "Parameter " + parameterId + " is unknown: bind the optimizer to the trained block");
    }
    if (frozen.contains(name)) {
      return;
    }
    float rate = rateByName.getOrDefault(name, learningRate);
    int t = steps.merge(name, 1, Integer::sum);
    double coef1 = 1.0 - Math.pow(beta1, t);
    double coef2 = 1.0 - Math.pow(beta2, t);
    float correctedRate = (float) (rate * Math.sqrt(coef2) / coef1);
    NDArray mean = means.computeIfAbsent(name, k -> state(weight));
    NDArray variance = variances.computeIfAbsent(name, k -> state(weight));
    weight
        .getNDArrayInternal()
        .adamUpdate(
            new NDList(weight, grad, mean, variance),
            new NDList(weight),
            rate,
            correctedRate,
            getWeightDecay(),
            rescaleGrad,
            clipGrad,
            beta1,
            beta2,
            epsilon,
            true,
            false);
  }

  private NDArray state(NDArray weight) {
    return stateManager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice());
  }

  /** Writes the step counts and moments of every parameter, sorted by name. */
  void save(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(steps.size());
    for (Map.Entry<String, Integer> e : steps.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeInt(e.getValue());
      writeArray(out, means.get(e.getKey()));
      writeArray(out, variances.get(e.getKey()));
    }
  }

  /** Replaces this optimizer's state with what {@link #save} wrote. */
  void load(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("Not an optimizer state file");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("Optimizer state version " + version + " is not " + VERSION);
    }
    clear();
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      steps.put(name, in.readInt());
      means.put(name, readArray(in));
      variances.put(name, readArray(in));
    }
  }

  private void clear() {
    means.values().forEach(NDArray::close);
    variances.values().forEach(NDArray::close);
    means.clear();
    variances.clear();
    steps.clear();
  }

  private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
    byte[] bytes = array.encode();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private NDArray readArray(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return stateManager.decode(bytes);
  }

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }
}
