package dev.lifecycle.activities.training;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.lifecycle.dsl.plan.Task;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a model directory holds besides its weights, stored as {@value ModelBundle#METADATA_FILE}:
 * enough to rebuild the network and to feed it the right columns in the right order.
 *
 * @param formatVersion version of this record's layout; readers reject newer versions. Version 1 is
 *     an MLP over numeric columns, which every reader understands; models that need this code's
 *     reader (a CNN, a TorchScript model, image input) are version 2
 * @param task regression (one output) or classification (one output per class)
 * @param featureColumns the input columns in the order the network reads them; {@code [image]} for
 *     an image model
 * @param label the target column
 * @param hiddenLayers widths of the hidden ReLU layers of an MLP
 * @param classes for classification, the class labels (as strings) in output order; empty for
 *     regression. A model trained from scratch or given a new head has the sorted distinct labels
 *     of its training set; a fine-tuned model without a new head keeps its base model's classes
 * @param epochs epochs of training behind the weights (with early stopping: up to the best epoch)
 * @param metrics the training metrics of those weights, e.g. {@code train_loss}, {@code
 *     validation_loss}
 * @param seed the seed of initialisation and shuffling
 * @param architecture {@code mlp} (also when {@code null}), {@code cnn} or {@code torchscript} (the
 *     weights are a TorchScript module, {@value ModelBundle#TORCHSCRIPT_FILE})
 * @param inputShape for image models, the shape of one input, {@code [channels, height, width]};
 *     {@code null} for tabular models
 * @param baseModel for fine-tuned models, the pretrained model they started from (a sha256 or a
 *     location); else {@code null}
 * @param baseClasses for fine-tuned classifiers, the base model's classes, which a new head
 *     replaced by {@code classes}; else {@code null}
 * @param frozen for fine-tuned models, the parameters kept exactly as pretrained; else {@code null}
 * @param trainedEpochs with early stopping, the epochs run before stopping (the weights are those
 *     of epoch {@code epochs}); else {@code null}
 */
public record ModelMetadata(
    int formatVersion,
    Task task,
    List<String> featureColumns,
    String label,
    List<Integer> hiddenLayers,
    List<String> classes,
    int epochs,
    Map<String, Double> metrics,
    long seed,
    String architecture,
    List<Integer> inputShape,
    String baseModel,
    List<String> baseClasses,
    List<String> frozen,
    Integer trainedEpochs) {

  /** The newest layout version this code writes and reads. */
  public static final int FORMAT_VERSION = 2;

  /** {@link #architecture} of a multilayer perceptron. */
  public static final String MLP = "mlp";

  /** {@link #architecture} of Lifecycle's CNN. */
  public static final String CNN = "cnn";

  /** {@link #architecture} of a TorchScript module. */
  public static final String TORCHSCRIPT = "torchscript";

  public ModelMetadata {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(label, "label");
    featureColumns = List.copyOf(featureColumns);
    hiddenLayers = hiddenLayers == null ? List.of() : List.copyOf(hiddenLayers);
    classes = classes == null ? List.of() : List.copyOf(classes);
    metrics = metrics == null ? Map.of() : new TreeMap<>(metrics);
    inputShape = inputShape == null ? null : List.copyOf(inputShape);
    baseClasses = baseClasses == null ? null : List.copyOf(baseClasses);
    frozen = frozen == null ? null : List.copyOf(frozen);
    if (featureColumns.isEmpty()) {
      throw new IllegalArgumentException("A model needs at least one feature column");
    }
    if (task == Task.CLASSIFICATION && classes.isEmpty()) {
      throw new IllegalArgumentException("A classification model needs its classes");
    }
    if (architecture != null && !List.of(MLP, CNN, TORCHSCRIPT).contains(architecture)) {
      throw new IllegalArgumentException(
          "Unknown architecture '" + architecture + "'; known: mlp, cnn, torchscript");
    }
  }

  /** Metadata of an MLP over numeric columns (layout version 1). */
  public ModelMetadata(
      int formatVersion,
      Task task,
      List<String> featureColumns,
      String label,
      List<Integer> hiddenLayers,
      List<String> classes,
      int epochs,
      Map<String, Double> metrics,
      long seed) {
    this(
        formatVersion,
        task,
        featureColumns,
        label,
        hiddenLayers,
        classes,
        epochs,
        metrics,
        seed,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** The layout version a model needs: 1 for an MLP over numeric columns, else 2. */
  static int versionFor(String architecture, List<Integer> inputShape) {
    return (architecture == null || architecture.equals(MLP)) && inputShape == null ? 1 : 2;
  }

  /** The number of network outputs: 1 for regression, one per class for classification. */
  public int outputs() {
    return task == Task.CLASSIFICATION ? classes.size() : 1;
  }

  /** The architecture, {@code mlp} when the file names none. */
  @JsonIgnore
  public String architectureOrDefault() {
    return architecture == null ? MLP : architecture;
  }

  /** Whether the model reads images (the {@code image} column) rather than numeric columns. */
  @JsonIgnore
  public boolean readsImages() {
    return inputShape != null;
  }

  /** How many floats one input row holds: the pixels of an image, or one per feature column. */
  @JsonIgnore
  public int inputWidth() {
    if (inputShape == null) {
      return featureColumns.size();
    }
    int width = 1;
    for (int d : inputShape) {
      width *= d;
    }
    return width;
  }
}
