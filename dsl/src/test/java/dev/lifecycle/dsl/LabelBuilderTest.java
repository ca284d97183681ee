package dev.lifecycle.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import dev.lifecycle.dsl.plan.LabelPolicy.Uncertainty;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The label step as people write it, its compiled plan, and its JSON. */
class LabelBuilderTest {

  /** Ingest, label with auto-labeling by a trained model, then train on the labeled rows. */
  static PipelinePlan labelingPipeline() {
    Pipeline p = Pipeline.named("labeling");
    var raw = p.ingest("ingest").parquet(Values.of("images.parquet")).dataset();
    var split = p.split("split", raw).ratios(0.8, 0.1, 0.1);
    var base = p.train("base", split.train()).label("label").classification().cnn();
    LabelBuilder label =
        p.label("label", split.test())
            .classes("shirt", "sneaker", "bag")
            .instructions("Pick what the picture shows.")
            .annotatorsPerItem(3)
            .weightedByGold("known")
            .autoLabel(base.model(), 0.95)
            .uncertainty(Uncertainty.MARGIN)
            .budget(500)
            .deadline(Duration.ofDays(7))
            .remindEvery(Duration.ofDays(1))
            .onDeadline(Escalation.CLOSE)
            .completeAtQuota(300)
            .annotators("ana", "ben", "chen");
    p.train("train", label.dataset()).label("label").classification().cnn();
    return p.compile();
  }

  @Test
  void compilesToTheGoldenPlan() throws IOException {
    PipelinePlan plan = labelingPipeline();
    String json = PlanJson.write(plan);
    assertEquals(golden("golden/labeling.plan.json"), json);
  }

  @Test
  void roundTripsThroughJson() {
    PipelinePlan plan = labelingPipeline();
    PipelinePlan read = PlanJson.read(PlanJson.write(plan));
    assertEquals(plan, read);
    Label label =
        (Label)
            read.steps().stream().filter(s -> s.name().equals("label")).findFirst().orElseThrow();
    assertEquals(List.of("shirt", "sneaker", "bag"), label.schema().classes());
    assertEquals(0.95, label.confidenceThreshold());
    assertEquals(Duration.ofDays(7), label.deadline());
    assertEquals(300, label.quota());
  }

  @Test
  void carriesTheLowAgreementPolicyIntoThePlan() {
    Pipeline p = Pipeline.named("disputed");
    var raw = p.ingest("ingest").parquet(Values.of("rows.parquet")).dataset();
    p.label("label", raw)
        .classes("a", "b")
        .annotatorsPerItem(3)
        .annotators("ana", "ben", "chen", "dee", "eli")
        .moreAnnotatorsBelow(0.7, 5);
    String json = PlanJson.write(p.compile());
    Label label = (Label) PlanJson.read(json).steps().get(1);
    assertEquals(0.7, label.agreementThreshold());
    assertEquals(5, label.maxAnnotatorsPerItem());
    assertEquals(true, json.contains("\"agreementThreshold\" : 0.7"), json);
  }

  private static String golden(String resource) throws IOException {
    try (InputStream in = LabelBuilderTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("No golden file " + resource + " on the test class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
