package dev.lifecycle.activities.evaluation.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.evaluation.ConfusionMatrix;
import dev.lifecycle.activities.evaluation.PrecisionRecallCurve;
import dev.lifecycle.activities.evaluation.RocCurve;
import dev.lifecycle.activities.evaluation.plot.EvaluationPlots.Named;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class EvaluationPlotsTest {
  @Test
  void drawsOneCellPerConfusionCountWithItsCountAndTheClassNames() throws Exception {
    ConfusionMatrix matrix =
        ConfusionMatrix.ofClassIndices(
            new int[] {0, 0, 1, 2, 2, 2, 1},
            new int[] {0, 1, 1, 2, 2, 0, 1},
            List.of("cat", "dog & wolf", "<bird>"));
    Document doc = Svgs.parse(EvaluationPlots.confusionMatrix(matrix));

    List<Element> cells = Svgs.withClass(doc, "rect", "cell");
    assertEquals(9, cells.size());
    // The darkest cell holds the largest count, 2; an empty cell is the lightest colour.
    assertEquals(HeatMap.colour(1.0), cells.get(4).getAttribute("fill"));
    assertEquals(HeatMap.colour(0.0), cells.get(2).getAttribute("fill"));
    List<String> texts = Svgs.texts(doc);
    assertTrue(texts.containsAll(List.of("cat", "dog & wolf", "<bird>")), texts.toString());
    assertTrue(texts.containsAll(List.of("Actual class", "Predicted class")), texts.toString());
    assertEquals(3, texts.stream().filter("1"::equals).count(), texts.toString());
    assertEquals(1, Svgs.withClass(doc, "rect", "colour-bar").size());
  }

  @Test
  void shrinksCellsAndHidesCountsForManyClasses() throws Exception {
    int k = 60;
    int[] actual = new int[k * 3];
    int[] predicted = new int[k * 3];
    List<String> classes = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      classes.add("class number " + c);
    }
    for (int i = 0; i < actual.length; i++) {
      actual[i] = i % k;
      predicted[i] = (i * 7) % k;
    }
    Document doc =
        Svgs.parse(
            EvaluationPlots.confusionMatrix(
                ConfusionMatrix.ofClassIndices(actual, predicted, classes)));
    assertEquals(k * k, Svgs.withClass(doc, "rect", "cell").size());
  }

  @Test
  void drawsRocCurvesWithTheirAucInTheLegendOverTheDiagonal() throws Exception {
    RocCurve roc =
        RocCurve.of(
            new boolean[] {false, false, true, true, false, true},
            new double[] {0.1, 0.4, 0.35, 0.8, 0.7, 0.9});
    Document doc =
        Svgs.parse(EvaluationPlots.roc(List.of(new Named<>("yes", roc)), "positive: yes"));

    List<Element> lines = Svgs.withClass(doc, "polyline", "series");
    assertEquals(2, lines.size());
    assertEquals("6 5", lines.get(0).getAttribute("stroke-dasharray"));
    assertEquals(roc.size(), lines.get(1).getAttribute("points").split(" ").length);
    List<String> texts = Svgs.texts(doc);
    assertTrue(texts.contains(String.format("yes (AUC = %.3f)", roc.auc())), texts.toString());
    assertTrue(texts.contains("Chance (AUC = 0.500)"), texts.toString());
    assertTrue(texts.containsAll(List.of("False positive rate", "True positive rate")));
  }

  @Test
  void thinsLongCurvesToTheDrawingsResolution() throws Exception {
    Random random = new Random(7);
    int n = 200_000;
    boolean[] positive = new boolean[n];
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      positive[i] = random.nextBoolean();
      scores[i] = random.nextGaussian() + (positive[i] ? 1 : 0);
    }
    PrecisionRecallCurve pr = PrecisionRecallCurve.of(positive, scores);
    String svg = EvaluationPlots.precisionRecall(List.of(new Named<>("yes", pr)), 0.5, "n");
    Document doc = Svgs.parse(svg);
    int points =
        Svgs.withClass(doc, "polyline", "series").get(1).getAttribute("points").split(" ").length;
    assertTrue(points < 5_000, "points drawn: " + points + " of " + pr.size());
    assertTrue(svg.length() < 200_000, "bytes: " + svg.length());
  }

  @Test
  void capsResidualPointsAndKeepsEveryRowWhenFew() throws Exception {
    double[] actual = new double[5_000];
    double[] predicted = new double[5_000];
    for (int i = 0; i < actual.length; i++) {
      actual[i] = i * 0.01;
      predicted[i] = i * 0.01 + Math.sin(i);
    }
    Document many = Svgs.parse(EvaluationPlots.residuals(actual, predicted, "rings"));
    assertEquals(EvaluationPlots.MAX_POINTS, Svgs.withClass(many, "circle", "point").size());
    assertTrue(
        Svgs.texts(many).contains("2,000 of 5,000 rows, evenly spaced"),
        Svgs.texts(many).toString());

    Document few =
        Svgs.parse(
            EvaluationPlots.predictedVsActual(
                new double[] {1, 2, 3}, new double[] {1.5, 1.5, 3.5}, "rings"));
    assertEquals(3, Svgs.withClass(few, "circle", "point").size());
    assertTrue(Svgs.texts(few).containsAll(List.of("Actual rings", "Predicted rings")));
  }

  @Test
  void refusesScatterPlotsOfMismatchedLengths() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EvaluationPlots.residuals(new double[] {1, 2}, new double[] {1}, "y"));
    assertTrue(e.getMessage().contains("1 predictions against 2"), e.getMessage());
  }

  @Test
  void placesTicksOnRoundNumbers() {
    XyChart.Ticks ticks = XyChart.Ticks.of(0.13, 9.7, 6, true);
    assertEquals(2.0, ticks.step());
    assertEquals(0.0, ticks.min());
    assertEquals(10.0, ticks.max());
    XyChart.Ticks unit = XyChart.Ticks.of(0, 1, 4, false);
    assertEquals(0.2, unit.step(), 1e-15);
    assertEquals("0.4", unit.format(unit.values()[2]));
    assertEquals("1.5e+06", XyChart.Ticks.of(0, 2e6, 4, true).format(1.5e6));
  }
}
