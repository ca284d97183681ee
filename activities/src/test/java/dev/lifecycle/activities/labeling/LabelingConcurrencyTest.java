package dev.lifecycle.activities.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.Job;
import dev.lifecycle.activities.labeling.LabelingRecords.JobCounts;
import dev.lifecycle.activities.labeling.LabelingRecords.JobSpec;
import dev.lifecycle.activities.labeling.LabelingRecords.NextItem;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.labeling.LabelingRecords.StoredAnswer;
import dev.lifecycle.activities.labeling.LabelingRecords.Submission;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many labelers at once: threads that ask for {@code next} and answer at the same instants never
 * get one item beyond the answers it wants, and every item ends with all of them.
 */
class LabelingConcurrencyTest {
  private static final Duration LEASE = Duration.ofMinutes(10);
  private static final int THREADS = 8;

  @TempDir Path tempDir;

  private static List<String> names() {
    List<String> names = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      names.add("labeler" + t);
    }
    return names;
  }

  private static Job job(LabelingStore store, int items, int perItem) {
    store.ensureAnnotators(names());
    Job job =
        store.createJob(
            new JobSpec(
                "run-" + perItem,
                "label",
                "wf/label/label",
                "file:///data.parquet",
                "ab",
                List.of("cat", "dog"),
                false,
                null,
                perItem));
    List<Item> batch = new ArrayList<>();
    for (int key = 0; key < items; key++) {
      // Ties in priority on purpose: several items share each place in the queue.
      batch.add(new Item(key, Route.PEOPLE, key / 3, null, null, null, null));
    }
    store.addItems(job.id(), batch);
    store.assign(job.id(), names());
    store.open(job.id());
    return store.job(job.id());
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void neverLeasesAnItemBeyondTheAnswersItWantsAndLosesNone(TestDatabase kind) throws Exception {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore metadata = db.open()) {
      for (int perItem : new int[] {1, 2}) {
        LabelingStore store = LabelingStore.of(metadata);
        int items = 240;
        Job job = job(store, items, perItem);
        List<Long> ids = names().stream().map(n -> store.annotator(n).orElseThrow().id()).toList();

        // Every thread starts at the same instant and runs the page's loop until nothing is left.
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<Long>>> labelers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          long who = ids.get(t);
          labelers.add(
              () -> {
                start.await();
                List<Long> answered = new ArrayList<>();
                while (true) {
                  Optional<NextItem> next = store.next(job.id(), who, LEASE);
                  store.progressOf(job.id(), who);
                  if (next.isEmpty()) {
                    return answered;
                  }
                  long key = next.get().item().key();
                  Submission s = store.submit(job.id(), key, who, key % 2 == 0 ? "cat" : "dog");
                  assertTrue(s.created(), "item " + key + " was answered once by " + who);
                  store.justCompleted(job, key);
                  answered.add(key);
                }
              });
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<List<Long>>> futures = new ArrayList<>();
        try {
          labelers.forEach(l -> futures.add(pool.submit(l)));
          start.countDown();
          int submitted = 0;
          for (Future<List<Long>> f : futures) {
            submitted += f.get(5, TimeUnit.MINUTES).size();
          }
          assertEquals(
              items * perItem,
              submitted,
              "the labelers answered exactly the answers wanted (" + perItem + " per item)");
        } finally {
          pool.shutdownNow();
        }

        Map<Long, List<StoredAnswer>> answers = store.answers(job.id());
        assertEquals(items, answers.size(), "every item was answered");
        answers.forEach(
            (key, list) -> {
              assertEquals(perItem, list.size(), "answers to item " + key + ": " + list);
              Set<String> who = new HashSet<>();
              list.forEach(a -> who.add(a.annotator()));
              assertEquals(perItem, who.size(), "item " + key + " answered by distinct people");
            });
        JobCounts counts = store.counts(job.id());
        assertEquals(items, counts.humanLabeled());
        assertEquals((long) items * perItem, counts.answers());
        for (long who : ids) {
          assertEquals(0, store.progressOf(job.id(), who).remaining());
        }
        assertTrue(store.waitingOn(job.id()).isEmpty());
        assertEquals(Map.of(), countersThatDisagree(metadata, job.id()));
        assertEquals(
            0,
            rows(metadata, "SELECT COUNT(*) FROM labeling_assignment WHERE job_id = " + job.id()),
            "every lease ended with its answer");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void countsOneAnswerWhenTheSameSubmissionRacesItself(TestDatabase kind) throws Exception {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore metadata = db.open()) {
      LabelingStore store = LabelingStore.of(metadata);
      Job job = job(store, 3, 2);
      long ana = store.annotator("labeler0").orElseThrow().id();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<Submission>> futures = new ArrayList<>();
      try {
        for (int t = 0; t < THREADS; t++) {
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    return store.submit(job.id(), 1, ana, "dog");
                  }));
        }
        start.countDown();
        int created = 0;
        for (Future<Submission> f : futures) {
          Submission s = f.get(1, TimeUnit.MINUTES);
          assertEquals("dog", s.answer().answer());
          created += s.created() ? 1 : 0;
        }
        assertEquals(1, created, "one of the identical submissions stored the answer");
      } finally {
        pool.shutdownNow();
      }
      assertEquals(1, store.counts(job.id()).answers());
      assertEquals(Map.of(), countersThatDisagree(metadata, job.id()));
      assertEquals(2, store.progressOf(job.id(), ana).remaining(), "items 0 and 2 are left");
    }
  }

  /** Items whose answer counter differs from their answer rows: key to (counter, rows). */
  private static Map<Long, List<Long>> countersThatDisagree(MetadataStore metadata, long job)
      throws Exception {
    Map<Long, List<Long>> wrong = new HashMap<>();
    try (Connection c = metadata.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT i.item_key, i.answers, (SELECT COUNT(*) FROM labeling_answer x WHERE"
                    + " x.job_id = i.job_id AND x.item_key = i.item_key) FROM labeling_item i"
                    + " WHERE i.job_id = "
                    + job)) {
      while (r.next()) {
        if (r.getLong(2) != r.getLong(3)) {
          wrong.put(r.getLong(1), List.of(r.getLong(2), r.getLong(3)));
        }
      }
    }
    return wrong;
  }

  private static long rows(MetadataStore metadata, String sql) throws Exception {
    try (Connection c = metadata.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
