package dev.lifecycle.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.Architecture;
import dev.lifecycle.dsl.plan.EarlyStopping;
import dev.lifecycle.dsl.plan.FineTune;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.dsl.plan.ValueType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainBuilderTest {

  private static Pipeline images() {
    return Pipeline.named("images");
  }

  @Test
  void buildsAFineTuningStepThatSurvivesJson() {
    Pipeline p = images();
    var raw = p.ingest("ingest").parquet(Values.of("images.parquet")).dataset();
    var split = p.split("split", raw).ratios(0.8, 0.1, 0.1);
    var base =
        p.train("base", split.train())
            .validation(split.validation())
            .label("label")
            .classification()
            .cnn();
    p.train("tune", split.train())
        .validation(split.validation())
        .label("label")
        .classification()
        .pretrained(base.model())
        .freeze("features", "classifier.dense.weight")
        .newHead()
        .learningRate("classifier", 1e-4)
        .earlyStopping(0.001, 3);
    PipelinePlan plan = p.compile();

    Train cnn = (Train) plan.step("base").orElseThrow();
    assertEquals(Architecture.CNN, cnn.architecture());
    assertEquals(List.of(), cnn.hiddenLayers());
    Train tune = (Train) plan.step("tune").orElseThrow();
    assertEquals(new OutputRef("base", "model"), tune.pretrained());
    assertEquals(ValueType.MODEL, tune.inputs().get("pretrained").expected());
    assertEquals(
        new FineTune(
            List.of("features", "classifier.dense.weight"), true, Map.of("classifier", 1e-4)),
        tune.fineTune());
    assertEquals(new EarlyStopping("validation_loss", 0.001, 3), tune.earlyStopping());
    assertEquals(List.of(), tune.hiddenLayers());

    assertEquals(plan, PlanJson.read(PlanJson.write(plan)));
  }

  @Test
  void readsAPretrainedModelFromAPath() {
    Pipeline p = images();
    var raw = p.ingest("ingest").parquet(Values.of("images.parquet")).dataset();
    var train =
        p.train("tune", raw).label("label").classification().pretrained("/models/small_cnn.pt");
    Train step = (Train) p.compile().step(train.name()).orElseThrow();
    assertEquals(new Literal("/models/small_cnn.pt"), step.pretrained());
    assertEquals(ValueType.STRING, step.inputs().get("pretrained").expected());
    assertNull(step.fineTune());
  }

  @Test
  void leavesNewFieldsOutOfTheJsonOfAPlainStep() {
    Pipeline p = images();
    var raw = p.ingest("ingest").parquet(Values.of("t.parquet")).dataset();
    p.train("train", raw).label("y");
    PipelinePlan plan = p.compile();
    Train step = (Train) plan.step("train").orElseThrow();
    assertEquals(List.of(64, 32), step.hiddenLayers());
    String json = PlanJson.write(plan);
    for (String field : List.of("architecture", "pretrained", "fineTune", "earlyStopping")) {
      assertFalse(json.contains("\"" + field + "\""), json);
    }
    assertEquals(plan, PlanJson.read(json));
  }

  @Test
  void matchesParameterNamesByDottedPrefix() {
    assertTrue(FineTune.matches("features", "features.conv1.weight"));
    assertTrue(FineTune.matches("features.*", "features.conv1.weight"));
    assertTrue(FineTune.matches("head.bias", "head.bias"));
    assertFalse(FineTune.matches("feat", "features.conv1.weight"));
    assertFalse(FineTune.matches("head", "headless.weight"));
    assertFalse(FineTune.matches(".*", "head.weight"));
  }
}
