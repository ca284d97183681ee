package dev.lifecycle.dsl.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.plan.BatchTransform;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.ValueType;
import org.junit.jupiter.api.Test;

/** The compiler packages a features step's fitted transform with the models trained through it. */
class TransformInferenceTest {

  private static PipelinePlan plan(boolean features) {
    Pipeline p = Pipeline.named("inference");
    var raw = p.ingest("ingest").csv("data.csv").dataset();
    var split = p.split("split", raw);
    var train =
        features
            ? p.train("train", p.features("features", split).label("y").standardize().train())
            : p.train("train", split.train());
    train.label("y");
    p.register("register", "m", train.model());
    p.batchTransform("predict", train.model(), split.test());
    return p.compile();
  }

  @Test
  void registersTheTransformOfTheFeaturesStepTheModelWasTrainedOn() {
    PipelinePlan plan = plan(true);
    Register register = (Register) plan.step("register").orElseThrow();
    assertEquals(new OutputRef("features", "transform"), register.transform());
    assertEquals(ValueType.TRANSFORM, register.inputs().get("transform").expected());
    assertEquals(
        new OutputRef("features", "transform"),
        ((BatchTransform) plan.step("predict").orElseThrow()).transform());
  }

  @Test
  void leavesModelsTrainedOnRawDataWithoutATransform() {
    PipelinePlan plan = plan(false);
    assertNull(((Register) plan.step("register").orElseThrow()).transform());
    assertNull(((BatchTransform) plan.step("predict").orElseThrow()).transform());
    assertEquals(java.util.Set.of("model"), plan.step("register").orElseThrow().inputs().keySet());
  }

  @Test
  void inferredTransformSurvivesJsonAndASecondCompile() throws Exception {
    PipelinePlan plan = plan(true);
    PipelinePlan again = PipelineCompiler.compile(PlanJson.read(PlanJson.write(plan)));
    assertEquals(plan, again);
  }
}
