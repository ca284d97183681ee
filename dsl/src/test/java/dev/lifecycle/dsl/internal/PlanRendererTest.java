package dev.lifecycle.dsl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.Values;
import org.junit.jupiter.api.Test;

class PlanRendererTest {

  @Test
  void drawsStepsDependenciesAndBranches() {
    Pipeline p = Pipeline.named("demo");
    var raw = p.ingest("load-data").csv("a.csv").dataset();
    var split = p.split("end", raw);
    var train = p.train("train", split.train()).label("y");
    var evaluate = p.evaluate("evaluate", train.model(), split.test()).label("y");
    var ok = p.condition("ok", evaluate.metric("rmse").atMost(1.0));
    ok.then(
            b ->
                b.condition("great", Values.metric("evaluate", "r2").atLeast(0.9))
                    .then(g -> g.approval("ship")))
        .otherwise(b -> b.fail("stop", "too bad"));
    p.approval("notify").after(ok);

    assertEquals(
        """
        flowchart TD
          load_data["load-data (ingest)"]
          end_2["end (split)"]
          train["train (train)"]
          evaluate["evaluate (evaluate)"]
          ok{"ok (condition)"}
          great{"great (condition)"}
          ship["ship (approval)"]
          stop["stop (fail)"]
          notify["notify (approval)"]
          load_data --> end_2
          end_2 --> train
          train --> evaluate
          end_2 --> evaluate
          evaluate --> ok
          ok -->|then| great
          ok -->|otherwise| stop
          evaluate --> great
          great -->|then| ship
          ok -.-> notify
        """,
        PlanRenderer.mermaid(p.compile()));
  }
}
