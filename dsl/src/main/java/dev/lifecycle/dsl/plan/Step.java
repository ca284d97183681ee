package dev.lifecycle.dsl.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * One step of a pipeline. Each kind is a record; the interpreter switches exhaustively over them,
 * so a new kind breaks the build rather than a run.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Ingest.class, name = "ingest"),
  @JsonSubTypes.Type(value = Split.class, name = "split"),
  @JsonSubTypes.Type(value = Features.class, name = "features"),
  @JsonSubTypes.Type(value = Train.class, name = "train"),
  @JsonSubTypes.Type(value = Evaluate.class, name = "evaluate"),
  @JsonSubTypes.Type(value = Condition.class, name = "condition"),
  @JsonSubTypes.Type(value = Approval.class, name = "approval"),
  @JsonSubTypes.Type(value = Register.class, name = "register"),
  @JsonSubTypes.Type(value = BatchTransform.class, name = "batchTransform"),
  @JsonSubTypes.Type(value = Fail.class, name = "fail"),
  @JsonSubTypes.Type(value = Label.class, name = "label"),
  @JsonSubTypes.Type(value = Deploy.class, name = "deploy"),
  @JsonSubTypes.Type(value = Monitor.class, name = "monitor")
})
public sealed interface Step
    permits Ingest,
        Split,
        Features,
        Train,
        Evaluate,
        Condition,
        Approval,
        Register,
        BatchTransform,
        Fail,
        Label,
        Deploy,
        Monitor {

  /** Unique name of the step within its pipeline. */
  String name();

  /** Names of steps that must finish first, beyond those whose outputs this step reads. */
  List<String> after();

  /** Execution options (retry, timeouts, task queue). */
  StepOptions options();

  /** What the step reads, by input name, in a stable order. */
  @JsonIgnore
  Map<String, Input> inputs();

  /** What the step produces, by output name. */
  @JsonIgnore
  Map<String, ValueType> outputs();

  /** The metrics the step produces. */
  @JsonIgnore
  default List<String> producedMetrics() {
    return List.of();
  }

  /**
   * Calls the visitor's method for this step's kind. Code that handles every kind (the interpreter)
   * implements {@link Visitor}, so a new kind breaks the build rather than a run.
   */
  <R> R accept(Visitor<R> visitor);

  /** One method per step kind; see {@link #accept}. */
  interface Visitor<R> {
    R ingest(Ingest step);

    R split(Split step);

    R features(Features step);

    R train(Train step);

    R evaluate(Evaluate step);

    R condition(Condition step);

    R approval(Approval step);

    R register(Register step);

    R batchTransform(BatchTransform step);

    R fail(Fail step);

    R label(Label step);

    R deploy(Deploy step);

    R monitor(Monitor step);
  }

  /** The kind's name as it appears in JSON, e.g. {@code train}. */
  @JsonIgnore
  default String kind() {
    return getClass().getAnnotation(Kind.class).value();
  }

  /** The JSON name of a step kind (mirrors {@link JsonSubTypes} for code that needs it). */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
  @interface Kind {
    String value();
  }
}
