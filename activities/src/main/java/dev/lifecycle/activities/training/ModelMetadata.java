package dev.lifecycle.activities.training;

import dev.lifecycle.dsl.plan.Task;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a model directory holds besides its DJL parameters, stored as {@value
 * ModelBundle#METADATA_FILE}: enough to rebuild the network and to feed it the right columns in the
 * right order.
 *
 * @param formatVersion version of this record's layout; readers reject newer versions
 * @param task regression (one output) or classification (one output per class)
 * @param featureColumns the input columns in the order the network reads them
 * @param label the target column
 * @param hiddenLayers widths of the hidden ReLU layers
 * @param classes for classification, the class labels (as strings) in output order: the sorted
 *     distinct labels of the training set; empty for regression
 * @param epochs epochs the model was trained for
 * @param metrics the final training metrics, e.g. {@code train_loss}, {@code validation_loss}
 * @param seed the seed of initialisation and shuffling
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
    long seed) {

  /** The layout version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  public ModelMetadata {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(label, "label");
    featureColumns = List.copyOf(featureColumns);
    hiddenLayers = hiddenLayers == null ? List.of() : List.copyOf(hiddenLayers);
    classes = classes == null ? List.of() : List.copyOf(classes);
    metrics = metrics == null ? Map.of() : new TreeMap<>(metrics);
    if (featureColumns.isEmpty()) {
      throw new IllegalArgumentException("A model needs at least one feature column");
    }
    if (task == Task.CLASSIFICATION && classes.isEmpty()) {
      throw new IllegalArgumentException("A classification model needs its classes");
    }
  }

  /** The number of network outputs: 1 for regression, one per class for classification. */
  public int outputs() {
    return task == Task.CLASSIFICATION ? classes.size() : 1;
  }
}
