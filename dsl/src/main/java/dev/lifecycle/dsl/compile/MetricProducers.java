package dev.lifecycle.dsl.compile;

import dev.lifecycle.dsl.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which earlier steps produce a metric: the rule that resolves {@code metric("rmse")}. */
final class MetricProducers {
  private MetricProducers() {}

  /**
   * Names of the steps before {@code readerIndex} in {@code allSteps} that produce {@code metric}.
   */
  static List<String> earlier(List<Step> allSteps, int readerIndex, String metric) {
    List<String> producers = new ArrayList<>();
    for (int i = 0; i < readerIndex && i < allSteps.size(); i++) {
      Step step = allSteps.get(i);
      if (step.producedMetrics().contains(metric) && !producers.contains(step.name())) {
        producers.add(step.name());
      }
    }
    return producers;
  }

  /** The one earlier step producing {@code metric}; empty when none or several do. */
  static Optional<String> unique(List<Step> allSteps, int readerIndex, String metric) {
    List<String> producers = earlier(allSteps, readerIndex, metric);
    return producers.size() == 1 ? Optional.of(producers.get(0)) : Optional.empty();
  }
}
