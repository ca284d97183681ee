package dev.lifecycle.activities.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.JobSpec;
import dev.lifecycle.activities.labeling.LabelingRecords.LabelerProgress;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The queue of a job longer than one read window: items come in priority order across windows and
 * past the watermark, a skipped item holds the watermark back for others, and the set-based counts
 * agree with what was answered.
 */
class LabelingQueueTest {
  private static final Duration LEASE = Duration.ofMinutes(10);
  private static final int ITEMS = 700;

  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void servesALongQueueInPriorityOrderAcrossWindows(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore metadata = db.open()) {
      LabelingStore store = LabelingStore.of(metadata);
      long job =
          store
              .createJob(
                  new JobSpec(
                      "run-q",
                      "label",
                      null,
                      "file:///q.parquet",
                      "ab",
                      List.of("a", "b"),
                      false,
                      null,
                      1))
              .id();
      List<Item> items = new ArrayList<>();
      for (int k = 0; k < ITEMS; k++) {
        // Priorities with gaps, in the reverse of the keys: the queue is not the key order.
        items.add(new Item(k, Route.PEOPLE, 3L * (ITEMS - 1 - k), null, null, null, null));
      }
      items.add(new Item(ITEMS, Route.AUTO, Long.MAX_VALUE, "a", 0.99, null, null));
      store.addItems(job, items);
      store.addItems(job, items.subList(0, 10)); // a retried preparation adds nothing
      store.ensureAnnotators(List.of("ana", "ben"));
      store.assign(job, List.of("ana", "ben"));
      store.open(job);
      long ana = store.annotator("ana").orElseThrow().id();
      long ben = store.annotator("ben").orElseThrow().id();

      // Ana skips the first item of the queue, then answers 600 in order.
      long first = store.next(job, ana, LEASE).orElseThrow().item().key();
      assertEquals(ITEMS - 1, first);
      store.skip(job, first, ana);
      for (int n = 0; n < 600; n++) {
        long key = store.next(job, ana, LEASE).orElseThrow().item().key();
        assertEquals(ITEMS - 2 - n, key, "answer " + n);
        store.submit(job, key, ana, "a");
      }
      assertEquals(new LabelerProgress(600, 1, ITEMS - 601), store.progressOf(job, ana));
      // Ben gets the item Ana skipped first, then the rest of the queue.
      assertEquals(first, store.next(job, ben, LEASE).orElseThrow().item().key());
      store.submit(job, first, ben, "b");
      long expected = ITEMS - 602;
      while (true) {
        var next = store.next(job, ben, LEASE);
        if (next.isEmpty()) {
          break;
        }
        assertEquals(expected--, next.get().item().key());
        store.submit(job, next.get().item().key(), ben, "b");
      }
      assertEquals(-1, expected);
      assertTrue(store.next(job, ana, LEASE).isEmpty());
      assertEquals(
          new LabelingRecords.JobCounts(ITEMS + 1, 1, ITEMS, 0, ITEMS, ITEMS), store.counts(job));
      assertEquals(new LabelerProgress(ITEMS - 600, 0, 0), store.progressOf(job, ben));
      assertEquals(List.of(), store.waitingOn(job));
    }
  }
}
