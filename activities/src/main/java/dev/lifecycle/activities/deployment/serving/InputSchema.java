package dev.lifecycle.activities.deployment.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.training.ModelMetadata;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns a request body into the rows a model reads, checking it against the model's schema. The
 * body is {@code {"instances": [...]}}, each instance either an object of features by name ({@code
 * {"Length": 0.5, "Diameter": 0.4, ...}}, every feature present, numeric, no other field) or an
 * array of numbers in the model's feature order. An image model takes {@code {"image": [pixels]}}.
 * Every problem is an {@link InvalidInputException} naming the field.
 */
public final class InputSchema {
  /** The field holding the instances. */
  public static final String INSTANCES = "instances";

  private final List<String> features;
  private final int width;
  private final boolean image;
  private final int maxInstances;
  private final List<Integer> imageShape;

  /** The schema of {@code metadata}, accepting up to {@code maxInstances} per request. */
  public InputSchema(ModelMetadata metadata, int maxInstances) {
    this.features = metadata.featureColumns();
    this.width = metadata.inputWidth();
    this.image = metadata.readsImages();
    this.maxInstances = maxInstances;
    List<Integer> shape = metadata.inputShape();
    this.imageShape = image && shape != null && shape.size() == 3 ? shape : null;
  }

  /**
   * For an image model, the shape {@code [channels, height, width]} of one instance (its pixels
   * channel-major, as the model reads them); null for a tabular model (or an image model whose
   * metadata records no shape: its requests' pixels are then not captured).
   */
  List<Integer> imageShape() {
    return imageShape;
  }

  /** The feature names, in the order the model reads them. */
  public List<String> features() {
    return features;
  }

  /** The rows of {@code body}, each ordered as {@link #features()}. */
  public float[][] rows(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidInputException(
          "body",
          "The body must be a JSON object {\"instances\": [...]}, got "
              + (body == null ? "nothing" : kind(body)));
    }
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!name.equals(INSTANCES)) {
        throw new InvalidInputException(
            name, "Unknown field '" + name + "': the body holds only \"instances\"");
      }
    }
    JsonNode instances = body.get(INSTANCES);
    if (instances == null || instances.isNull()) {
      throw new InvalidInputException(INSTANCES, "Field 'instances' is missing");
    }
    if (!instances.isArray()) {
      throw new InvalidInputException(
          INSTANCES, "Field 'instances' must be an array of instances, got " + kind(instances));
    }
    if (instances.isEmpty()) {
      throw new InvalidInputException(INSTANCES, "Field 'instances' is empty");
    }
    if (instances.size() > maxInstances) {
      throw new InvalidInputException(
          INSTANCES,
          "Field 'instances' holds "
              + instances.size()
              + " instances; an endpoint takes at most "
              + maxInstances
              + " per request",
          true);
    }
    float[][] rows = new float[instances.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = row(instances.get(i), INSTANCES + "[" + i + "]");
    }
    return rows;
  }

  private float[] row(JsonNode instance, String path) {
    if (image) {
      return imageRow(instance, path);
    }
    if (instance.isArray()) {
      if (instance.size() != width) {
        throw new InvalidInputException(
            path,
            "Instance '"
                + path
                + "' has "
                + instance.size()
                + " values but the model reads "
                + width
                + ": "
                + features);
      }
      float[] row = new float[width];
      for (int j = 0; j < width; j++) {
        row[j] = number(instance.get(j), path + "[" + j + "]");
      }
      return row;
    }
    if (!instance.isObject()) {
      throw new InvalidInputException(
          path,
          "Instance '"
              + path
              + "' must be an object of features by name or an array of numbers, got "
              + kind(instance));
    }
    Iterator<Map.Entry<String, JsonNode>> fields = instance.fields();
    while (fields.hasNext()) {
      String name = fields.next().getKey();
      if (!features.contains(name)) {
        throw new InvalidInputException(
            path + "." + name,
            "Field '"
                + path
                + "."
                + name
                + "' is not a feature of the model. Features: "
                + features);
      }
    }
    float[] row = new float[width];
    for (int j = 0; j < width; j++) {
      String feature = features.get(j);
      JsonNode value = instance.get(feature);
      String field = path + "." + feature;
      if (value == null) {
        throw new InvalidInputException(field, "Field '" + field + "' is missing");
      }
      row[j] = number(value, field);
    }
    return row;
  }

  private float[] imageRow(JsonNode instance, String path) {
    String field = path + ".image";
    JsonNode pixels = instance.isObject() ? instance.get("image") : null;
    if (pixels == null || !pixels.isArray()) {
      throw new InvalidInputException(
          field, "Field '" + field + "' must be an array of " + width + " pixels scaled to [0, 1]");
    }
    if (pixels.size() != width) {
      throw new InvalidInputException(
          field,
          "Field '" + field + "' has " + pixels.size() + " pixels but the model reads " + width);
    }
    float[] row = new float[width];
    for (int j = 0; j < width; j++) {
      row[j] = number(pixels.get(j), field + "[" + j + "]");
    }
    return row;
  }

  private static float number(JsonNode value, String field) {
    if (!value.isNumber()) {
      throw new InvalidInputException(
          field, "Field '" + field + "' must be a number, got " + kind(value));
    }
    float f = value.floatValue();
    if (!Float.isFinite(f)) {
      throw new InvalidInputException(
          field, "Field '" + field + "' is out of range for a 32-bit float: " + value.asText());
    }
    return f;
  }

  private static String kind(JsonNode node) {
    String text = node.toString();
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return switch (node.getNodeType()) {
      case STRING -> "the string " + shown;
      case BOOLEAN -> "the boolean " + shown;
      case NULL -> "null";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> shown;
    };
  }

  /** The features of one row as a name-to-value list, for data capture. */
  List<Map.Entry<String, Float>> named(float[] row) {
    List<Map.Entry<String, Float>> named = new ArrayList<>(row.length);
    if (image) {
      return named;
    }
    for (int j = 0; j < row.length; j++) {
      named.add(Map.entry(features.get(j), row[j]));
    }
    return named;
  }
}
