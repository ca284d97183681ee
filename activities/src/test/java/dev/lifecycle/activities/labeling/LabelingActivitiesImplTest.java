package dev.lifecycle.activities.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.TestDatabase;
import dev.lifecycle.activities.training.TestDatasets;
import dev.lifecycle.activities.training.TestModels;
import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy.Consolidation;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.LabelingActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.labeling.LabelingJob;
import dev.lifecycle.workflows.labeling.LabelingProgress;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelingActivitiesImplTest {
  @TempDir Path tempDir;

  private TestDatabase.Instance db;
  private MetadataStore metadata;
  private ArtifactStore artifacts;
  private LabelingActivitiesImpl impl;
  private TestActivityEnvironment env;
  private LabelingActivities activities;

  @BeforeEach
  void open() {
    db = TestDatabase.H2.create(tempDir);
    metadata = db.open();
    artifacts = new LocalArtifactStore(db.settings().artifacts());
    impl = new LabelingActivitiesImpl(artifacts, metadata);
    env = TestModels.environment();
    env.registerActivitiesImplementations(impl);
    activities = env.newActivityStub(LabelingActivities.class, TestModels.options());
  }

  @AfterEach
  void close() {
    env.close();
    metadata.close();
    db.close();
  }

  /** Six rows; row 5 is a gold item whose known answer is 'dog'. */
  private ArtifactRef sixRows() throws Exception {
    return TestDatasets.fromSql(
        artifacts,
        tempDir,
        "six",
        "SELECT i AS id, CAST(i * 1.5 AS DOUBLE) AS x, CASE WHEN i = 5 THEN 'dog' END AS known"
            + " FROM range(6) t(i)");
  }

  @Test
  void labelsByMajorityAndWritesTheLabeledDatasetAndManifest() throws Exception {
    Label step =
        LabelSteps.step(
            List.of("cat", "dog"),
            3,
            Consolidation.MAJORITY,
            "known",
            false,
            null,
            null,
            List.of("ana", "ben", "chen"));
    var task = LabelSteps.task(step, sixRows(), null);
    LabelingJob job = activities.prepare(task);
    assertEquals(new LabelingJob(job.jobId(), 6, 0, 6, 1), job);
    assertEquals(job, activities.prepare(task), "preparing again finds the same job");

    LabelingStore store = impl.store();
    String[][] answers = {
      {"cat", "cat", "dog"}, {"dog", "dog", "dog"}, {"cat", "dog", "cat"}, {"dog", "cat", "dog"}
    };
    List<String> who = List.of("ana", "ben", "chen");
    for (int item = 0; item < answers.length; item++) {
      for (int a = 0; a < 3; a++) {
        store.submit(
            job.jobId(), item, store.annotator(who.get(a)).orElseThrow().id(), answers[item][a]);
      }
    }
    LabelingProgress progress = activities.progress(job.jobId());
    assertEquals(4, progress.humanLabeled());
    assertEquals(12, progress.answers());
    assertEquals(who, progress.waitingOn());

    StepResult result = activities.consolidate(task, job.jobId());
    assertEquals(5.0, result.metrics().get("labeled"), "4 by people + 1 gold");
    assertEquals(4.0, result.metrics().get("human_labeled"));
    assertEquals(0.0, result.metrics().get("auto_labeled"));
    assertEquals((2 / 3.0 + 1 + 2 / 3.0 + 2 / 3.0) / 4, result.metrics().get("agreement"), 1e-9);

    List<String> rows =
        strings(
            result.artifacts().get("dataset"),
            "SELECT id || ':' || label || ':' || label_source || ':' || label_annotators");
    assertEquals(
        List.of(
            "0:cat:human:ana,ben,chen",
            "1:dog:human:ana,ben,chen",
            "2:cat:human:ana,ben,chen",
            "3:dog:human:ana,ben,chen",
            "5:dog:gold:"),
        rows);
    List<String> manifest =
        strings(
            result.artifacts().get("manifest"),
            "SELECT item_key || ':' || coalesce(label, '-') || ':' || source");
    assertEquals(
        List.of(
            "0:cat:human", "1:dog:human", "2:cat:human", "3:dog:human", "4:-:none", "5:dog:gold"),
        manifest);
    long ana = store.annotator("ana").orElseThrow().id();
    LabelingException late =
        assertThrows(LabelingException.class, () -> store.submit(job.jobId(), 4, ana, "cat"));
    assertEquals(LabelingException.Reason.JOB_CLOSED, late.reason());
    StepResult again = activities.consolidate(task, job.jobId());
    assertEquals(
        result.artifacts().get("dataset").sha256(),
        again.artifacts().get("dataset").sha256(),
        "consolidating a closed job again writes the same dataset");
  }

  @Test
  void autoLabelsConfidentItemsAndQueuesTheRestMostUncertainFirst() throws Exception {
    ArtifactRef train = TestDatasets.classification(artifacts, tempDir, "train", 400, 1);
    ArtifactRef model = TestModels.train(artifacts, Task.CLASSIFICATION, "kind", train, 30);
    ArtifactRef pool =
        TestDatasets.fromSql(
            artifacts,
            tempDir,
            "pool",
            "SELECT CAST(i % 7 - 3 AS DOUBLE) * 0.9 AS a, CAST(i % 5 - 2 AS DOUBLE) * 0.8 AS b"
                + " FROM range(60) t(i)");
    Label step =
        LabelSteps.step(
            List.of("inner", "left", "right"),
            1,
            Consolidation.MAJORITY,
            null,
            true,
            0.9,
            10,
            List.of("ana"));
    LabelingJob job = activities.prepare(LabelSteps.task(step, pool, model));
    assertEquals(60, job.items());
    assertTrue(job.autoLabeled() > 0, "the model is sure of some points: " + job);
    assertEquals(Math.min(10, 60 - job.autoLabeled()), job.forPeople());

    List<Item> items = impl.store().items(job.jobId());
    List<Item> people = new ArrayList<>();
    for (Item item : items) {
      if (item.route() == Route.AUTO) {
        assertTrue(item.modelConfidence() >= 0.9, item.toString());
      } else {
        assertTrue(item.modelConfidence() < 0.9, item.toString());
      }
      if (item.route() == Route.PEOPLE) {
        people.add(item);
      }
    }
    people.sort(Comparator.comparingLong(Item::priority));
    for (int i = 1; i < people.size(); i++) {
      assertTrue(
          people.get(i - 1).uncertainty() >= people.get(i).uncertainty(),
          "most uncertain first: " + people);
    }
    double leastUncertainQueued = people.get(people.size() - 1).uncertainty();
    for (Item item : items) {
      if (item.route() == Route.OVER_BUDGET) {
        assertTrue(item.uncertainty() <= leastUncertainQueued, item.toString());
      }
    }
  }

  @Test
  void rejectsAMissingGoldColumnNamingIt() throws Exception {
    Label step =
        LabelSteps.step(
            List.of("cat", "dog"),
            1,
            Consolidation.WEIGHTED,
            "truth",
            false,
            null,
            null,
            List.of("ana"));
    ActivityFailure failure =
        assertThrows(
            ActivityFailure.class,
            () -> activities.prepare(LabelSteps.task(step, sixRows(), null)));
    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertEquals(FailureTypes.INVALID_DATA, cause.getType());
    assertTrue(cause.getOriginalMessage().contains("'truth'"), cause.getOriginalMessage());
  }

  private List<String> strings(ArtifactRef ref, String select) throws Exception {
    Path file = artifacts.resolve(ref);
    List<String> values = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(select + " FROM read_parquet('" + file + "')")) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }
}
