package dev.lifecycle.dsl.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A typed value a step reads: a literal, a pipeline parameter, an output of an earlier step, or a
 * metric an earlier step produced. References are objects, never {@code "${...}"} strings, so the
 * compiler can check every one of them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Literal.class, name = "literal"),
  @JsonSubTypes.Type(value = ParamRef.class, name = "param"),
  @JsonSubTypes.Type(value = OutputRef.class, name = "output"),
  @JsonSubTypes.Type(value = MetricRef.class, name = "metric")
})
public sealed interface Operand permits Literal, ParamRef, OutputRef, MetricRef {

  /** How the operand reads in messages, e.g. {@code param('rmseThreshold')}. */
  String describe();
}
