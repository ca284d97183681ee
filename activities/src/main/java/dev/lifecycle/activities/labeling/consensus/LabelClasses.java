package dev.lifecycle.activities.labeling.consensus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The closed set of classes a labeling job votes on, in the order the job declared them. That order
 * is also the deterministic tie-break of {@link TiePolicy#SCHEMA_ORDER}. For a label step, these
 * are the classes of its {@code dev.lifecycle.dsl.plan.LabelSchema}: {@code new
 * LabelClasses(schema.classes())}; free-text answers take no part in a vote.
 *
 * @param classes the class names: at least two, none blank, no duplicates
 */
public record LabelClasses(List<String> classes) {
  /** Validates and copies {@code classes}. */
  public LabelClasses {
    classes = List.copyOf(classes);
    if (classes.size() < 2) {
      throw new IllegalArgumentException("Label classes need at least two classes, got " + classes);
    }
    Map<String, Integer> seen = new HashMap<>();
    for (String c : classes) {
      if (c.isBlank()) {
        throw new IllegalArgumentException("Label classes include a blank class name: " + classes);
      }
      if (seen.put(c, seen.size()) != null) {
        throw new IllegalArgumentException("Label classes name '" + c + "' twice: " + classes);
      }
    }
  }

  /** Shorthand for {@code new LabelClasses(List.of(classes))}. */
  public static LabelClasses of(String... classes) {
    return new LabelClasses(List.of(classes));
  }

  /** The number of classes. */
  public int size() {
    return classes.size();
  }

  /** The position of {@code label} in the schema, or -1 when it is not a class of this schema. */
  public int indexOf(String label) {
    return classes.indexOf(label);
  }

  /**
   * The position of an answered label.
   *
   * @throws ConsensusInputException naming the item, the annotator and the label when the label is
   *     not one of the schema's classes
   */
  public int requireClass(String itemId, String annotatorId, String label) {
    int index = label == null ? -1 : classes.indexOf(label);
    if (index < 0) {
      throw new ConsensusInputException(
          itemId, annotatorId, String.valueOf(label), "not one of the label classes " + classes);
    }
    return index;
  }
}
