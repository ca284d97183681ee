package dev.lifecycle.dsl.plan;

import java.util.List;

/**
 * What a labeler may answer in a label step: one of a closed set of classes, or, with {@code
 * freeText}, any short text (the classes, if any, are then suggestions).
 *
 * @param classes the allowed answers, in the order a labeling page shows them
 * @param freeText whether answers outside {@code classes} are accepted
 */
public record LabelSchema(List<String> classes, boolean freeText) {
  public LabelSchema {
    classes = classes == null ? List.of() : List.copyOf(classes);
  }

  /** Whether {@code answer} is allowed. */
  public boolean allows(String answer) {
    return answer != null && !answer.isBlank() && (freeText || classes.contains(answer));
  }
}
