package dev.lifecycle.workflows;

import dev.lifecycle.dsl.plan.PlanJson;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

/**
 * The data converter every client and worker of Lifecycle uses: JSON with the plan's mapper
 * settings, lenient about unknown fields so that a payload from a newer or older worker never
 * wedges a workflow task. Validation of what people type happens in the workflow, where it can fail
 * the run with a clear message.
 */
public final class LifecycleDataConverter {
  private LifecycleDataConverter() {}

  /** A new converter. */
  public static DataConverter create() {
    return DefaultDataConverter.newDefaultInstance()
        .withPayloadConverterOverrides(new JacksonJsonPayloadConverter(PlanJson.newMapper(false)));
  }
}
