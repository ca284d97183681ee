package dev.lifecycle.activities.monitoring;

/**
 * A drift statistic cannot be computed from its input, e.g. a sample with no values; the message
 * names the feature and which sample ({@code baseline} or {@code current}).
 */
public class DriftInputException extends IllegalArgumentException {
  private final String feature;
  private final String sample;

  public DriftInputException(String feature, String sample, String problem) {
    super("Feature '" + feature + "': the " + sample + " sample " + problem);
    this.feature = feature;
    this.sample = sample;
  }

  /** The feature whose sample is unusable. */
  public String feature() {
    return feature;
  }

  /** Which sample: {@code baseline} or {@code current}. */
  public String sample() {
    return sample;
  }
}
