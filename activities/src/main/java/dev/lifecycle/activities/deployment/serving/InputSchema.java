package dev.lifecycle.activities.deployment.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.data.FeatureTransform;
import dev.lifecycle.activities.training.ModelMetadata;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a request body into the rows a model reads, checking it against the model's schema. The
 * body is {@code {"instances": [...]}}, each instance either an object of inputs by name ({@code
 * {"Length": 0.5, "Diameter": 0.4, ...}}, every input present, of its type, no other field) or an
 * array of values in the order of {@link #fields()}. An image model takes {@code {"image":
 * [pixels]}}. Every problem is an {@link InvalidInputException} naming the field.
 *
 * <p>A model packaged with a fitted {@link FeatureTransform} (an inference pipeline) takes the raw
 * columns the transform reads, e.g. {@code {"Sex": "M", "Length": 0.455, ...}}: categories as
 * strings (or numbers or booleans when the training column was one), measurements as numbers. The
 * transform computes the model's features from them exactly as the features step did; a category
 * not seen in training encodes as all zeros, as it did in the features step's SQL. Without a
 * transform the inputs are the model's feature columns, all numbers.
 */
public final class InputSchema {
  /** The field holding the instances. */
  public static final String INSTANCES = "instances";

  /**
   * One input of a request, as {@code GET /endpoints/{name}} shows it.
   *
   * @param name the field name
   * @param type {@code number}, {@code integer}, {@code string}, {@code boolean}, or {@code image}
   *     (an array of pixels)
   * @param categories for a category one-hot encoded by the transform, the values seen in training
   *     (others encode as all zeros); else null
   */
  public record Field(String name, String type, List<String> categories) {}

  private final List<String> features;
  private final int width;
  private final boolean image;
  private final int maxInstances;
  private final FeatureTransform transform;
  private final List<Field> fields;
  private final Map<String, Field> byName = new HashMap<>();
  private final List<Integer> imageShape;

  /** The schema of {@code metadata}, accepting up to {@code maxInstances} per request. */
  public InputSchema(ModelMetadata metadata, int maxInstances) {
    this(metadata, null, maxInstances);
  }

  /**
   * The schema of {@code metadata} read through {@code transform} (raw inputs), or of {@code
   * metadata} alone when {@code transform} is null.
   *
   * @throws IllegalArgumentException when the transform does not compute the model's features
   */
  public InputSchema(ModelMetadata metadata, FeatureTransform transform, int maxInstances) {
    this.width = metadata.inputWidth();
    this.image = metadata.readsImages();
    this.maxInstances = maxInstances;
    this.transform = transform;
    if (transform != null && !transform.featureNames().equals(metadata.featureColumns())) {
      throw new IllegalArgumentException(
          "The model reads the features "
              + metadata.featureColumns()
              + " but its transform computes "
              + transform.featureNames());
    }
    List<Field> list = new ArrayList<>();
    if (transform != null) {
      for (String column : transform.sources()) {
        list.add(rawField(transform, column));
      }
    } else if (image) {
      list.add(new Field("image", "image", null));
    } else {
      for (String feature : metadata.featureColumns()) {
        list.add(new Field(feature, "number", null));
      }
    }
    this.fields = List.copyOf(list);
    fields.forEach(f -> byName.put(f.name(), f));
    this.features =
        transform == null ? metadata.featureColumns() : fields.stream().map(Field::name).toList();
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

  private static Field rawField(FeatureTransform transform, String column) {
    if (!transform.isCategorical(column)) {
      return new Field(column, "number", null);
    }
    String type = transform.sourceType(column);
    String kind;
    if (type != null && type.equalsIgnoreCase("BOOLEAN")) {
      kind = "boolean";
    } else if (FeatureTransform.isNumericType(type)) {
      String t = type.toUpperCase(Locale.ROOT);
      kind =
          t.equals("FLOAT") || t.equals("DOUBLE") || t.startsWith("DECIMAL") ? "number" : "integer";
    } else {
      kind = "string";
    }
    return new Field(column, kind, transform.categories().get(column));
  }

  /**
   * The names of the fields an instance carries, in order: the raw columns with a transform, else
   * the feature names in the order the model reads them.
   */
  public List<String> features() {
    return features;
  }

  /** The fields an instance carries, with their types. */
  public List<Field> fields() {
    return fields;
  }

  /** Whether requests carry raw columns that a fitted transform turns into features. */
  public boolean transformsRaw() {
    return transform != null;
  }

  /**
   * The model's feature rows of {@code body}, one per instance, computed through the transform when
   * there is one.
   */
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
    if (transform != null) {
      return rawRow(instance, path);
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

  /** Checks a raw instance and computes its features with the transform. */
  private float[] rawRow(JsonNode instance, String path) {
    Map<String, Object> values = new HashMap<>();
    if (instance.isArray()) {
      if (instance.size() != fields.size()) {
        throw new InvalidInputException(
            path,
            "Instance '"
                + path
                + "' has "
                + instance.size()
                + " values but the model reads "
                + fields.size()
                + ": "
                + features);
      }
      for (int j = 0; j < fields.size(); j++) {
        Field f = fields.get(j);
        values.put(f.name(), rawValue(f, instance.get(j), path + "[" + j + "]"));
      }
    } else if (instance.isObject()) {
      Iterator<String> names = instance.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!byName.containsKey(name)) {
          String field = path + "." + name;
          throw new InvalidInputException(
              field,
              "Field '"
                  + field
                  + "' is not an input of the model"
                  + (name.equals(transform.label()) ? " (it is the label the model predicts)" : "")
                  + ". Inputs: "
                  + features);
        }
      }
      for (Field f : fields) {
        String field = path + "." + f.name();
        JsonNode value = instance.get(f.name());
        if (value == null) {
          throw new InvalidInputException(field, "Field '" + field + "' is missing");
        }
        values.put(f.name(), rawValue(f, value, field));
      }
    } else {
      throw new InvalidInputException(
          path,
          "Instance '"
              + path
              + "' must be an object of inputs by name or an array of values, got "
              + kind(instance));
    }
    float[] row = transform.apply(values);
    for (int j = 0; j < row.length; j++) {
      if (!Float.isFinite(row[j])) {
        String source = transform.features().get(j).source();
        String field = path + "." + source;
        throw new InvalidInputException(
            field,
            "Field '"
                + field
                + "' is out of range: feature '"
                + transform.features().get(j).name()
                + "' computed from it is not a finite 32-bit float");
      }
    }
    return row;
  }

  /** A raw value as the transform reads it: the category's text, or the number. */
  private static Object rawValue(Field f, JsonNode value, String field) {
    if (value.isNull()) {
      throw new InvalidInputException(
          field, "Field '" + field + "' is null; the model needs " + article(f.type()));
    }
    switch (f.type()) {
      case "string" -> {
        if (!value.isTextual()) {
          throw new InvalidInputException(
              field,
              "Field '"
                  + field
                  + "' must be a string (a category, one of "
                  + f.categories()
                  + "), got "
                  + kind(value));
        }
        return value.textValue();
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          throw new InvalidInputException(
              field, "Field '" + field + "' must be true or false, got " + kind(value));
        }
        return Boolean.toString(value.booleanValue());
      }
      case "integer" -> {
        if (!value.isNumber() || !value.canConvertToExactIntegral()) {
          throw new InvalidInputException(
              field,
              "Field '"
                  + field
                  + "' must be a whole number (a category, one of "
                  + f.categories()
                  + "), got "
                  + kind(value));
        }
        return value.bigIntegerValue().toString();
      }
      default -> {
        if (!value.isNumber()) {
          throw new InvalidInputException(
              field, "Field '" + field + "' must be a number, got " + kind(value));
        }
        double d = value.doubleValue();
        if (!Double.isFinite(d)) {
          throw new InvalidInputException(
              field, "Field '" + field + "' is out of range for a number: " + value.asText());
        }
        // A numeric category is compared as text, as the features step's SQL did.
        return f.categories() != null ? Double.toString(d) : d;
      }
    }
  }

  private static String article(String type) {
    return switch (type) {
      case "string" -> "a string";
      case "boolean" -> "true or false";
      case "integer" -> "a whole number";
      default -> "a number";
    };
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

  /**
   * What data capture records of one checked instance: with a transform, the raw inputs as sent (so
   * that monitoring compares raw columns with a raw baseline); else the features by name; for an
   * image model, nothing.
   *
   * @param instance the instance as sent, already checked by {@link #rows}
   * @param row the features computed from it
   */
  ObjectNode captured(JsonNode instance, float[] row) {
    ObjectNode captured = JsonNodeFactory.instance.objectNode();
    if (image) {
      if (imageShape != null) {
        captured.set(DataCapture.IMAGE, DataCapture.capturedImage(imageShape, row));
      }
      return captured;
    }
    if (transform != null) {
      for (int j = 0; j < fields.size(); j++) {
        String name = fields.get(j).name();
        captured.set(name, instance.isArray() ? instance.get(j) : instance.get(name));
      }
      return captured;
    }
    for (int j = 0; j < row.length; j++) {
      captured.put(features.get(j), new BigDecimal(Float.toString(row[j])));
    }
    return captured;
  }
}
