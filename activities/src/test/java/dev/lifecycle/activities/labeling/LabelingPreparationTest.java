package dev.lifecycle.activities.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.TestDatabase;
import dev.lifecycle.activities.training.TestDatasets;
import dev.lifecycle.activities.training.TestModels;
import dev.lifecycle.dsl.plan.LabelPolicy.Consolidation;
import dev.lifecycle.workflows.activities.LabelingActivities;
import dev.lifecycle.workflows.labeling.LabelingJob;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preparing a job without a model streams its rows into the store in batches. */
class LabelingPreparationTest {
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

  @Test
  void streamsRowsAcrossBatchesInTheQueueOrderOfABudgetAndGoldItems() throws Exception {
    // More rows than two batches; every 1,000th row (from row 7) is a gold item.
    int rows = 2 * LabelingActivitiesImpl.STREAM_ROWS + 1234;
    int gold = 0;
    for (int r = 7; r < rows; r += 1000) {
      gold++;
    }
    int budget = rows - gold - 500;
    var dataset =
        TestDatasets.fromSql(
            artifacts,
            tempDir,
            "many",
            "SELECT i AS id, CASE WHEN i % 1000 = 7 THEN 'dog' END AS known FROM range("
                + rows
                + ") t(i)");
    var step =
        LabelSteps.step(
            List.of("cat", "dog"),
            1,
            Consolidation.MAJORITY,
            "known",
            false,
            null,
            budget,
            List.of("ana"));
    var task = LabelSteps.task(step, dataset, null);
    LabelingJob job = activities.prepare(task);
    assertEquals(new LabelingJob(job.jobId(), rows, 0, budget + gold, gold), job);
    assertEquals(job, activities.prepare(task), "preparing again adds nothing");

    List<Item> items = impl.store().items(job.jobId());
    assertEquals(rows, items.size());
    long spacing = Math.max(1, budget / gold);
    int candidate = 0;
    int golden = 0;
    for (Item item : items) {
      if (item.key() % 1000 == 7) {
        assertEquals(
            new Item(item.key(), Route.PEOPLE, 2L * golden * spacing + 1, null, null, null, "dog"),
            item);
        golden++;
      } else {
        Item expected =
            candidate < budget
                ? new Item(item.key(), Route.PEOPLE, 2L * candidate, null, null, null, null)
                : new Item(item.key(), Route.OVER_BUDGET, Long.MAX_VALUE, null, null, null, null);
        assertEquals(expected, item);
        assertNull(item.goldLabel());
        candidate++;
      }
    }
    assertEquals(gold, golden);
  }
}
