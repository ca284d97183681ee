package dev.lifecycle.activities.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.TestDatabase;
import dev.lifecycle.activities.training.TestDatasets;
import dev.lifecycle.activities.training.TestModels;
import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy.Consolidation;
import dev.lifecycle.workflows.activities.LabelingActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.labeling.LabelingJob;
import dev.lifecycle.workflows.labeling.LabelingProgress;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Items whose annotators disagree get more annotators, and their labels say so. */
class MoreAnnotatorsTest {
  private static final List<String> FIVE = List.of("ana", "ben", "chen", "dee", "eli");

  @TempDir Path tempDir;

  private TestDatabase.Instance db;
  private MetadataStore metadata;
  private ArtifactStore artifacts;
  private LabelingActivitiesImpl impl;
  private LabelingStore store;
  private TestActivityEnvironment env;
  private LabelingActivities activities;

  private void open(TestDatabase kind) {
    db = kind.create(tempDir);
    metadata = db.open();
    artifacts = new LocalArtifactStore(db.settings().artifacts());
    impl = new LabelingActivitiesImpl(artifacts, metadata);
    store = impl.store();
    env = TestModels.environment();
    env.registerActivitiesImplementations(impl);
    activities = env.newActivityStub(LabelingActivities.class, TestModels.options());
  }

  @AfterEach
  void close() {
    if (env != null) {
      env.close();
      metadata.close();
      db.close();
    }
  }

  /** Four rows, three answers each, up to five below agreement 0.7. */
  private StepTask task() throws Exception {
    Label step =
        LabelSteps.withMoreAnnotators(
            LabelSteps.step(
                List.of("cat", "dog", "bird"),
                3,
                Consolidation.MAJORITY,
                null,
                false,
                null,
                null,
                FIVE),
            0.7,
            5);
    return LabelSteps.task(
        step,
        TestDatasets.fromSql(artifacts, tempDir, "four", "SELECT i AS id FROM range(4) t(i)"),
        null);
  }

  private void answer(long job, long item, String who, String answer) {
    store.submit(job, item, store.annotator(who).orElseThrow().id(), answer);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void givesDisagreedItemsMoreAnnotatorsUpToTheMaximum(TestDatabase kind) throws Exception {
    open(kind);
    StepTask task = task();
    long job = activities.prepare(task).jobId();
    String[][] first = {
      {"cat", "cat", "cat"}, {"cat", "cat", "dog"}, {"cat", "dog", "dog"}, {"cat", "dog", "bird"}
    };
    for (int item = 0; item < first.length; item++) {
      for (int a = 0; a < 3; a++) {
        answer(job, item, FIVE.get(a), first[item][a]);
      }
    }
    assertEquals(4, activities.progress(job).humanLabeled(), "every item has its 3 answers");

    LabelingProgress progress = activities.moreAnnotators(task, job);
    // 2 of 3 agree (0.67 < 0.7): one more each; 1 of 3 (a three-way tie): up to the maximum.
    assertEquals(Map.of(1L, 4, 2L, 4, 3L, 5), store.annotatorsWanted(job));
    assertEquals(1, progress.humanLabeled(), "only the unanimous item is settled");
    assertEquals(3, progress.moreAnnotators());
    assertEquals(List.of("dee", "eli"), progress.waitingOn());
    assertEquals(progress, activities.moreAnnotators(task, job), "asking again changes nothing");

    long dee = store.annotator("dee").orElseThrow().id();
    assertEquals(1, store.next(job, dee, Duration.ofMinutes(5)).orElseThrow().item().key());
    LabelingRecords.Job opened = store.job(job);
    assertEquals(false, store.justCompleted(opened, 1), "3 answers of the 4 item 1 now wants");
    answer(job, 1, "dee", "cat"); // 3 of 4 = 0.75: settled
    assertEquals(true, store.justCompleted(opened, 1), "the fourth answer completes it");
    assertEquals(false, store.justCompleted(opened, 2), "item 2 has 3 of the 4 it wants");
    answer(job, 2, "dee", "bird"); // 2 of 4 = 0.5: one more is not enough, up to 5
    answer(job, 3, "dee", "cat");
    progress = activities.moreAnnotators(task, job);
    assertEquals(Map.of(1L, 4, 2L, 5, 3L, 5), store.annotatorsWanted(job));
    assertEquals(2, progress.humanLabeled());
    assertEquals(List.of("eli"), progress.waitingOn());
    answer(job, 2, "eli", "dog"); // 3 of 5 = 0.6, but 5 is the maximum
    answer(job, 3, "eli", "cat");
    progress = activities.moreAnnotators(task, job);
    assertEquals(4, progress.humanLabeled(), "items at the maximum keep their label");
    assertEquals(List.of(), progress.waitingOn());

    StepResult result = activities.consolidate(task, job);
    assertEquals(3.0, result.metrics().get("more_annotators"));
    assertEquals(4.0, result.metrics().get("human_labeled"));
    assertEquals(
        List.of(
            "0:cat:human:ana,ben,chen:1.00:3",
            "1:cat:human:ana,ben,chen,dee:0.75:4",
            "2:dog:human:ana,ben,chen,dee,eli:0.60:5",
            "3:cat:human:ana,ben,chen,dee,eli:0.60:5"),
        strings(
            result,
            "SELECT item_key || ':' || label || ':' || source || ':' || annotators || ':' ||"
                + " printf('%.2f', agreement) || ':' || annotators_wanted"));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void neverAsksForMoreAnnotatorsThanAreAssigned(TestDatabase kind) throws Exception {
    open(kind);
    Label step =
        LabelSteps.withMoreAnnotators(
            LabelSteps.step(
                List.of("cat", "dog", "bird"),
                3,
                Consolidation.MAJORITY,
                null,
                false,
                null,
                null,
                List.of("ana", "ben", "chen", "dee")),
            0.9,
            5);
    StepTask task =
        LabelSteps.task(
            step, TestDatasets.fromSql(artifacts, tempDir, "one", "SELECT 1 AS id"), null);
    long job = activities.prepare(task).jobId();
    answer(job, 0, "ana", "cat");
    answer(job, 0, "ben", "dog");
    answer(job, 0, "chen", "bird");
    activities.moreAnnotators(task, job);
    assertEquals(Map.of(0L, 4), store.annotatorsWanted(job), "four are assigned");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void requestsOnlyRaiseCountsAndRejectCountsOutsideOneToNine(TestDatabase kind) throws Exception {
    open(kind);
    StepTask task = task();
    LabelingJob job = activities.prepare(task);
    assertEquals(1, store.requestAnnotators(job.jobId(), Map.of(0L, 5)));
    assertEquals(0, store.requestAnnotators(job.jobId(), Map.of(0L, 4)), "never lowered");
    assertEquals(0, store.requestAnnotators(job.jobId(), Map.of(1L, 2)), "below the job's 3");
    assertEquals(Map.of(0L, 5), store.annotatorsWanted(job.jobId()));
    IllegalArgumentException tooMany =
        assertThrows(
            IllegalArgumentException.class,
            () -> store.requestAnnotators(job.jobId(), Map.of(2L, 10)));
    assertTrue(tooMany.getMessage().contains("Item 2"), tooMany.getMessage());
    assertEquals(Map.of(0L, 5), store.annotatorsWanted(job.jobId()), "nothing stored");
    store.close(job.jobId());
    LabelingException closed =
        assertThrows(
            LabelingException.class, () -> store.requestAnnotators(job.jobId(), Map.of(1L, 4)));
    assertEquals(LabelingException.Reason.JOB_CLOSED, closed.reason());
  }

  private List<String> strings(StepResult result, String select) throws Exception {
    Path file = artifacts.resolve(result.artifacts().get("manifest"));
    List<String> values = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(select + " FROM read_parquet('" + file + "') ORDER BY item_key")) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rescoresOnlyItemsNobodyAnsweredOrTook(TestDatabase kind) throws Exception {
    open(kind);
    StepTask task = task();
    long job = activities.prepare(task).jobId();
    answer(job, 0, "ana", "cat");
    long ben = store.annotator("ben").orElseThrow().id();
    long taken = store.next(job, ben, Duration.ofMinutes(5)).orElseThrow().item().key();
    List<Long> open = store.openForRescoring(job).stream().map(LabelingRecords.Item::key).toList();
    assertEquals(List.of(0L, 1L, 2L, 3L).stream().filter(k -> k != 0 && k != taken).toList(), open);
    List<LabelingRecords.Item> updates = new ArrayList<>();
    for (long key = 0; key < 4; key++) {
      updates.add(
          new LabelingRecords.Item(
              key, LabelingRecords.Route.AUTO, Long.MAX_VALUE, "dog", 0.99, null, null));
    }
    assertEquals(open.size(), store.rescore(job, updates), "the answered and taken items stay");
    for (LabelingRecords.Item item : store.items(job)) {
      boolean changed = open.contains(item.key());
      assertEquals(
          changed ? LabelingRecords.Route.AUTO : LabelingRecords.Route.PEOPLE,
          item.route(),
          item.toString());
    }
    assertEquals(open.size(), store.counts(job).autoLabeled());
    store.close(job);
    assertThrows(LabelingException.class, () -> store.rescore(job, updates));
  }
}
