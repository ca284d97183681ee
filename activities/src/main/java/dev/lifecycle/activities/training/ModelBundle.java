package dev.lifecycle.activities.training;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained model loaded from its directory (DJL parameters or a TorchScript module, plus {@value
 * #METADATA_FILE}), ready to predict. Evaluation, batch transform and serving all load models
 * through this class, so they feed the network exactly as training did. Image models read the
 * {@code image} column of an image dataset (see {@link ParquetDataset}), whose rows arrive here as
 * the scaled pixels.
 *
 * <pre>{@code
 * try (ModelBundle model = ModelBundle.load(dir)) {
 *   model.requireColumns(datasetColumns, "dataset 'test'");
 *   float[] rings = model.predict(rows); // rows ordered as model.metadata().featureColumns()
 * }
 * }</pre>
 *
 * <p>{@link #predict} may be called from several threads at once.
 */
public final class ModelBundle implements AutoCloseable {

  /** The metadata file inside a model directory. */
  public static final String METADATA_FILE = "lifecycle-model.json";

  /** The DJL parameter file prefix: parameters live in {@code model-NNNN.params}. */
  public static final String PARAMS_PREFIX = "model";

  /** The file holding the weights of a TorchScript model (fine-tuned or not). */
  public static final String TORCHSCRIPT_FILE = "model.pt";

  /** The DJL engine every Lifecycle model runs on. */
  public static final String ENGINE = "PyTorch";

  private static final ObjectMapper JSON =
      PlanJson.newMapper(false).enable(SerializationFeature.INDENT_OUTPUT);

  private final Network network;
  private final Model model;
  private final ModelMetadata metadata;

  private ModelBundle(Network network, ModelMetadata metadata) {
    this.network = network;
    this.model = network.model();
    this.metadata = metadata;
  }

  /**
   * Loads the model in {@code dir}.
   *
   * @throws ApplicationFailure non-retryable: {@code MISSING_ARTIFACT} when the directory lacks its
   *     metadata or parameters, {@code INVALID_DATA} when they cannot be read
   */
  public static ModelBundle load(Path dir) {
    ModelMetadata metadata = readMetadata(dir);
    try {
      return new ModelBundle(Network.load(dir, metadata, false), metadata);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "Cannot load the model parameters in " + dir + ": " + e.getMessage(),
          FailureTypes.INVALID_DATA,
          e);
    }
  }

  /** Reads {@value #METADATA_FILE} from a model directory. */
  public static ModelMetadata readMetadata(Path dir) {
    Path file = dir.resolve(METADATA_FILE);
    if (!Files.isRegularFile(file)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Model directory " + dir + " has no " + METADATA_FILE + ": it is not a Lifecycle model",
          FailureTypes.MISSING_ARTIFACT);
    }
    ModelMetadata metadata;
    try {
      metadata = JSON.readValue(file.toFile(), ModelMetadata.class);
    } catch (IOException | IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "Cannot read " + file + ": " + e.getMessage(), FailureTypes.INVALID_DATA, e);
    }
    if (metadata.formatVersion() > ModelMetadata.FORMAT_VERSION) {
      throw ApplicationFailure.newNonRetryableFailure(
          file
              + " has formatVersion "
              + metadata.formatVersion()
              + " but this Lifecycle reads up to "
              + ModelMetadata.FORMAT_VERSION
              + ": upgrade the worker",
          FailureTypes.INVALID_DATA);
    }
    return metadata;
  }

  /** Writes {@code metadata} as {@value #METADATA_FILE} into {@code dir}. */
  public static void writeMetadata(Path dir, ModelMetadata metadata) {
    try {
      Files.writeString(dir.resolve(METADATA_FILE), JSON.writeValueAsString(metadata) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write model metadata as JSON", e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + METADATA_FILE + " in " + dir, e);
    }
  }

  /** What the model is and reads. */
  public ModelMetadata metadata() {
    return metadata;
  }

  /**
   * Fails unless {@code datasetColumns} hold every feature column and nothing else but the label.
   * An image model reads only the {@code image} column; the others may hold anything.
   *
   * @param description names the dataset in the message, e.g. {@code "dataset 'test' of step
   *     'evaluate'"}
   * @throws ApplicationFailure non-retryable {@code INVALID_DATA} naming the missing and extra
   *     columns
   */
  public void requireColumns(List<String> datasetColumns, String description) {
    List<String> features = metadata.featureColumns();
    List<String> missing = features.stream().filter(c -> !datasetColumns.contains(c)).toList();
    List<String> extra =
        metadata.readsImages()
            ? List.of()
            : datasetColumns.stream()
                .filter(c -> !features.contains(c) && !c.equals(metadata.label()))
                .toList();
    if (missing.isEmpty() && extra.isEmpty()) {
      return;
    }
    StringBuilder message =
        new StringBuilder("The columns of ")
            .append(description)
            .append(" do not match the model's features");
    if (!missing.isEmpty()) {
      message.append("; missing: ").append(missing);
    }
    if (!extra.isEmpty()) {
      message.append("; extra: ").append(extra);
    }
    message
        .append(". The model reads ")
        .append(features)
        .append(" and label '")
        .append(metadata.label())
        .append("': apply the same features step as its training data");
    throw ApplicationFailure.newNonRetryableFailure(message.toString(), FailureTypes.INVALID_DATA);
  }

  /**
   * Predicts for each of {@code rows} (each ordered as {@link ModelMetadata#featureColumns()}; for
   * an image model, the {@link ModelMetadata#inputWidth()} pixels scaled to [0, 1], row-major).
   * Regression: one value per row. Classification: the class probabilities, row-major, {@code
   * classes().size()} per row, in the order of {@link ModelMetadata#classes()}.
   */
  public float[] predict(float[][] rows) {
    return predict(rows, rows.length);
  }

  /** {@link #predict(float[][])} over the first {@code count} of {@code rows}. */
  public float[] predict(float[][] rows, int count) {
    return predict(rows, count, "the rows given");
  }

  /**
   * {@link #predict(float[][], int)} over rows read from {@code description} (e.g. {@code "dataset
   * 'test' of step 'evaluate'"}), which a mismatch names.
   *
   * @throws ApplicationFailure non-retryable {@code INVALID_DATA} naming {@code description} when a
   *     row is not as wide as the model's input: other features, or images of another shape or
   *     channel count (checked here, before the engine would fail on the tensor's shape)
   */
  public float[] predict(float[][] rows, int count, String description) {
    int width = metadata.inputWidth();
    if (count < 0 || count > rows.length) {
      throw new IllegalArgumentException(
          "count " + count + " is outside 0.." + rows.length + " rows");
    }
    if (count == 0) {
      return new float[0];
    }
    float[] flat = new float[count * width];
    for (int r = 0; r < count; r++) {
      if (rows[r].length != width) {
        throw ApplicationFailure.newNonRetryableFailure(
            mismatch(r, rows[r].length, description), FailureTypes.INVALID_DATA);
      }
      System.arraycopy(rows[r], 0, flat, r * width, width);
    }
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray x = manager.create(flat, network.batchShape(count));
      return Network.withoutGradients(
          () -> {
            NDArray out =
                model
                    .getBlock()
                    .forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow();
            if (metadata.task() == Task.CLASSIFICATION) {
              out = out.softmax(1);
            }
            return out.toFloatArray();
          });
    }
  }

  private String mismatch(int row, int values, String description) {
    List<Integer> shape = metadata.inputShape();
    if (shape == null) {
      return "Row "
          + row
          + " of "
          + description
          + " has "
          + values
          + " values but the model reads "
          + metadata.inputWidth()
          + " features "
          + metadata.featureColumns();
    }
    int pixels = shape.get(1) * shape.get(2);
    String seen =
        values % pixels == 0
            ? "images of "
                + shape.get(1)
                + "×"
                + shape.get(2)
                + " pixels with "
                + channels(values / pixels)
            : "images of "
                + values
                + " values (not "
                + shape.get(1)
                + "×"
                + shape.get(2)
                + " pixels)";
    return "Row "
        + row
        + " of "
        + description
        + " holds "
        + seen
        + " but the model reads inputs of shape "
        + shape
        + " ("
        + channels(shape.get(0))
        + "); convert the images to "
        + (shape.get(0) == 1 ? "greyscale" : shape.get(0) + " channels")
        + " and "
        + shape.get(1)
        + "×"
        + shape.get(2)
        + " pixels before this step";
  }

  private static String channels(int count) {
    return count == 1
        ? "1 channel (greyscale)"
        : count == 3 ? "3 channels (RGB)" : count + " channels";
  }

  /** Classification only: the probabilities of each class per row. */
  public float[][] predictProbabilities(float[][] rows) {
    if (metadata.task() != Task.CLASSIFICATION) {
      throw new IllegalStateException("A regression model has no class probabilities");
    }
    int k = metadata.classes().size();
    float[] flat = predict(rows);
    float[][] result = new float[rows.length][k];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(flat, r * k, result[r], 0, k);
    }
    return result;
  }

  @Override
  public void close() {
    model.close();
  }
}
