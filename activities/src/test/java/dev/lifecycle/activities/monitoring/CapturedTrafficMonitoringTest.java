package dev.lifecycle.activities.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.deployment.serving.Endpoint;
import dev.lifecycle.activities.deployment.serving.ModelLoader;
import dev.lifecycle.activities.deployment.serving.ModelSpec;
import dev.lifecycle.activities.deployment.serving.Prediction;
import dev.lifecycle.activities.deployment.serving.ServingFixtures;
import dev.lifecycle.activities.deployment.serving.ServingRuntime;
import dev.lifecycle.activities.monitoring.DriftReport.Status;
import dev.lifecycle.activities.monitoring.DriftReport.Verdict;
import dev.lifecycle.activities.monitoring.DriftReport.Violation;
import dev.lifecycle.activities.monitoring.DriftReport.ViolationKind;
import dev.lifecycle.activities.monitoring.FeatureConstraints.DriftCheck;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Serving;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.MonitoringActivities.CaptureWindow;
import dev.lifecycle.workflows.activities.MonitoringActivities.WindowRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real traffic through a real endpoint with data capture, exported by the {@code CaptureWindow}
 * activity and checked: steady traffic with good ground truth passes; shifted traffic whose ground
 * truth the model gets wrong is data drift and a fall in model quality (concept drift).
 */
class CapturedTrafficMonitoringTest {
  @TempDir Path tmp;

  @Test
  void steadyTrafficPassesAndShiftedTrafficIsDriftAndFallingQuality() throws Exception {
    LocalArtifactStore artifacts = new LocalArtifactStore(tmp.resolve("artifacts"));
    ArtifactRef model = ServingFixtures.abaloneModel(artifacts, tmp);
    try (MetadataStore metadata = ServingFixtures.metadata(tmp);
        ServingRuntime serving =
            new ServingRuntime(
                metadata, ModelLoader.fromArtifacts(artifacts), ServingRuntime.Options.DEFAULT)) {
      ServingFixtures.register(metadata, "abalone-age", model, "run-1");
      Serving capture =
          new Serving(Serving.Mode.REALTIME, null, null, null, null, null, null, null, null, 1.0);
      serving.deploy("abalone", new ModelSpec("abalone-age", 1, model), capture, null, null).join();
      Endpoint endpoint = serving.endpoint("abalone");
      CaptureActivitiesImpl captures =
          new CaptureActivitiesImpl(artifacts, serving::writeCaptureWindow);

      Baseline computed =
          Baselines.compute(
              trainingLike(tmp.resolve("train.parquet")),
              BaselineOptions.newBuilder()
                  .optFeatures(List.of("Length", "Whole.weight"))
                  .optNumericDrift(List.of(new DriftCheck(DriftMethod.PSI, 0.25)))
                  .build());
      Baseline baseline =
          new Baseline(
              computed.statistics(),
              computed
                  .constraints()
                  .withModelQuality(new ModelQuality("rmse", 0.5, 0.5, null, null, 20)));

      long t0 = System.currentTimeMillis();
      traffic(endpoint, serving, 0, 0.0, 0.5);
      long t1 = System.currentTimeMillis() + 1;
      Thread.sleep(5);
      traffic(endpoint, serving, 1000, 0.3, 5.0);
      long t2 = System.currentTimeMillis() + 1;

      CaptureWindow steady = captures.window(new WindowRequest("abalone", t0, t1));
      DriftReport ok = DriftChecker.check(baseline, artifacts.resolve(steady.data()));
      assertEquals(Status.OK, ok.status(), ok.violations()::toString);
      assertEquals(100, ok.windowRows());
      assertEquals(Verdict.PASS, ok.modelQuality().verdict());
      assertEquals(0.5, ok.modelQuality().value(), 1e-6, "every answer is off by 0.5 rings");

      CaptureWindow shifted = captures.window(new WindowRequest("abalone", t1, t2));
      DriftReport bad = DriftChecker.check(baseline, artifacts.resolve(shifted.data()));
      assertEquals(Status.VIOLATIONS, bad.status());
      List<ViolationKind> kinds = bad.violations().stream().map(Violation::kind).toList();
      assertTrue(kinds.contains(ViolationKind.DRIFT), kinds::toString);
      assertTrue(
          bad.violations().stream()
              .anyMatch(v -> v.kind() == ViolationKind.DRIFT && v.feature().equals("Length")));
      assertTrue(kinds.contains(ViolationKind.MODEL_QUALITY), kinds::toString);
      assertEquals(5.0, bad.modelQuality().value(), 1e-6);
    }
  }

  /**
   * The request instances of the fixture, as the data the baseline is computed from. The fixture
   * computes its values in double arithmetic (0.4 + 3 × 0.05 = 0.55000000000000004) and the
   * endpoint reads them as floats, captured as the decimals they print as (0.55); the baseline
   * holds those same decimals, as training data read from a CSV file would. (On data this discrete,
   * a baseline cut point at 0.55000000000000004 would put every captured 0.55 in the bin below it.)
   */
  private static Path trainingLike(Path file) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement()) {
      s.execute("CREATE TABLE t (Length DOUBLE, \"Whole.weight\" DOUBLE)");
      try (PreparedStatement insert = db.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
        for (int i = 0; i < 500; i++) {
          ObjectNode o = ServingFixtures.instance(i);
          insert.setDouble(1, Double.parseDouble(Float.toString(o.get("Length").floatValue())));
          insert.setDouble(
              2, Double.parseDouble(Float.toString(o.get("Whole.weight").floatValue())));
          insert.addBatch();
        }
        insert.executeBatch();
      }
      s.execute("COPY t TO '" + file + "' (FORMAT parquet)");
    }
    return file;
  }

  /**
   * 100 one-instance requests starting at instance {@code from}, their Length moved by {@code
   * shift}; each gets ground truth {@code error} rings above what the model answered.
   */
  private static void traffic(
      Endpoint endpoint, ServingRuntime serving, int from, double shift, double error) {
    for (int i = from; i < from + 100; i++) {
      ObjectNode instance = ServingFixtures.instance(i);
      instance.put("Length", instance.get("Length").doubleValue() + shift);
      ObjectNode body = PlanJson.lenient().createObjectNode();
      body.putArray("instances").add(instance);
      Prediction p = endpoint.invoke(body);
      double predicted = ((Number) p.predictions().get(0)).doubleValue();
      serving
          .dataCapture()
          .groundTruth(
              "abalone", p.requestId(), JsonNodeFactory.instance.numberNode(predicted + error));
    }
  }
}
