package dev.lifecycle.activities.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.labeling.LabelingException.Reason;
import dev.lifecycle.activities.labeling.LabelingRecords.ConsolidatedLabel;
import dev.lifecycle.activities.labeling.LabelingRecords.Credentials;
import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.Job;
import dev.lifecycle.activities.labeling.LabelingRecords.JobCounts;
import dev.lifecycle.activities.labeling.LabelingRecords.JobSpec;
import dev.lifecycle.activities.labeling.LabelingRecords.NextItem;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.labeling.LabelingRecords.Source;
import dev.lifecycle.activities.labeling.LabelingRecords.Submission;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LabelingStoreTest {
  private static final Duration LEASE = Duration.ofMinutes(10);

  @TempDir Path tempDir;

  /** A job of 4 items: 0 and 1 for people, 2 auto-labeled, 3 a gold item for people. */
  private static long job(LabelingStore store, int perItem, String... annotators) {
    store.ensureAnnotators(List.of(annotators));
    Job job =
        store.createJob(
            new JobSpec(
                "run-1",
                "label",
                "wf/label/label",
                "file:///data.parquet",
                "ab",
                List.of("cat", "dog"),
                false,
                "Pick one",
                perItem));
    store.addItems(
        job.id(),
        List.of(
            new Item(0, Route.PEOPLE, 1, "cat", 0.6, 0.4, null),
            new Item(1, Route.PEOPLE, 0, "dog", 0.55, 0.45, null),
            new Item(2, Route.AUTO, 3, "cat", 0.99, 0.01, null),
            new Item(3, Route.PEOPLE, 2, null, null, null, "dog")));
    store.assign(job.id(), List.of(annotators));
    store.open(job.id());
    return job.id();
  }

  private static long id(LabelingStore store, String name) {
    return store.annotator(name).orElseThrow().id();
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void storesOnlyAHashOfTheTokenAndAuthenticatesByIt(TestDatabase kind) throws Exception {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore metadata = db.open()) {
      LabelingStore store = LabelingStore.of(metadata);
      Credentials ana = store.createAnnotator("ana");
      assertEquals("ana", store.authenticate(ana.token()).orElseThrow().name());
      assertTrue(store.authenticate("wrong").isEmpty());
      assertTrue(store.authenticate("").isEmpty());
      try (Connection c = metadata.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT token_sha256 FROM labeling_annotator")) {
        assertTrue(r.next());
        assertEquals(LabelingStore.sha256(ana.token()), r.getString(1));
        assertNotEquals(ana.token(), r.getString(1));
      }
      Credentials reset = store.resetToken("ana");
      assertTrue(store.authenticate(ana.token()).isEmpty());
      assertEquals("ana", store.authenticate(reset.token()).orElseThrow().name());
      LabelingException taken =
          assertThrows(LabelingException.class, () -> store.createAnnotator("ana"));
      assertEquals(Reason.DUPLICATE_ANNOTATOR, taken.reason());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void resubmittingTheSameAnswerIsIdempotentAndAConflictIsRefused(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore metadata = db.open()) {
      LabelingStore store = LabelingStore.of(metadata);
      long job = job(store, 2, "ana", "ben");
      long ana = id(store, "ana");
      Submission first = store.submit(job, 0, ana, "cat");
      Submission again = store.submit(job, 0, ana, "cat");
      assertTrue(first.created());
      assertFalse(again.created());
      assertEquals(first.answer(), again.answer());
      LabelingException conflict =
          assertThrows(LabelingException.class, () -> store.submit(job, 0, ana, "dog"));
      assertEquals(Reason.CONFLICTING_ANSWER, conflict.reason());
      assertTrue(conflict.getMessage().contains("'cat'"), conflict.getMessage());
      assertEquals(1, store.counts(job).answers());
      assertEquals("cat", store.answers(job).get(0L).get(0).answer());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void refusesBadSubmissionsAndStoresNothing(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore metadata = db.open()) {
      LabelingStore store = LabelingStore.of(metadata);
      long job = job(store, 1, "ana");
      store.ensureAnnotators(List.of("eve"));
      long ana = id(store, "ana");
      long eve = id(store, "eve");
      assertEquals(Reason.INVALID_ANSWER, refused(() -> store.submit(job, 0, ana, "bird")));
      assertEquals(Reason.UNKNOWN_ITEM, refused(() -> store.submit(job, 99, ana, "cat")));
      assertEquals(Reason.UNKNOWN_ITEM, refused(() -> store.submit(job, 2, ana, "cat")));
      assertEquals(Reason.NOT_ASSIGNED, refused(() -> store.submit(job, 0, eve, "cat")));
      assertEquals(Reason.UNKNOWN_JOB, refused(() -> store.submit(job + 1, 0, ana, "cat")));
      assertEquals(0, store.counts(job).answers());
      store.close(job);
      assertEquals(Reason.JOB_CLOSED, refused(() -> store.submit(job, 0, ana, "cat")));
      assertEquals(0, store.counts(job).answers());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void servesItemsByPriorityLeasesThemAndHonoursSkips(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore metadata = db.open()) {
      LabelingStore store = LabelingStore.of(metadata);
      long job = job(store, 1, "ana", "ben");
      long ana = id(store, "ana");
      long ben = id(store, "ben");
      NextItem first = store.next(job, ana, LEASE).orElseThrow();
      assertEquals(1, first.item().key(), "priority 0 first");
      assertEquals(1, store.next(job, ana, LEASE).orElseThrow().item().key(), "own lease first");
      // One answer per item: ana's lease keeps item 1 from ben.
      assertEquals(0, store.next(job, ben, LEASE).orElseThrow().item().key());
      store.skip(job, 0, ben);
      assertEquals(3, store.next(job, ben, LEASE).orElseThrow().item().key());
      store.submit(job, 1, ana, "dog");
      assertEquals(0, store.next(job, ana, LEASE).orElseThrow().item().key());
      assertEquals(1, store.progressOf(job, ben).skipped());
      assertEquals(List.of("ana", "ben"), store.waitingOn(job));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void countsProgressAndKeepsAnswersAcrossReopening(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir)) {
      long job;
      try (MetadataStore metadata = db.open()) {
        LabelingStore store = LabelingStore.of(metadata);
        job = job(store, 2, "ana", "ben");
        store.submit(job, 0, id(store, "ana"), "cat");
        store.submit(job, 0, id(store, "ben"), "cat");
        store.submit(job, 1, id(store, "ana"), "dog");
      }
      // A crash after the submissions: a new process sees every answer.
      try (MetadataStore metadata = db.open()) {
        LabelingStore store = LabelingStore.of(metadata);
        JobCounts counts = store.counts(job);
        assertEquals(new JobCounts(4, 1, 3, 1, 1, 3), counts);
        assertEquals(List.of("ana", "ben"), store.waitingOn(job));
        // Preparing again (a retried activity) finds the job and adds no items twice.
        Job again =
            store.createJob(
                new JobSpec(
                    "run-1",
                    "label",
                    null,
                    "file:///data.parquet",
                    "ab",
                    List.of("cat", "dog"),
                    false,
                    null,
                    2));
        assertEquals(job, again.id());
        store.saveLabels(
            job,
            List.of(
                new ConsolidatedLabel(0, "cat", Source.HUMAN, List.of("ana", "ben"), 1.0, null),
                new ConsolidatedLabel(2, "cat", Source.AUTO, List.of(), null, 0.99)));
        store.saveLabels(
            job,
            List.of(
                new ConsolidatedLabel(0, "cat", Source.HUMAN, List.of("ana", "ben"), 1.0, null),
                new ConsolidatedLabel(2, "cat", Source.AUTO, List.of(), null, 0.99)));
        assertEquals(2, store.labels(job).size());
        assertEquals(List.of("ana", "ben"), store.labels(job).get(0).annotators());
        assertEquals(Optional.of(0.99), Optional.ofNullable(store.labels(job).get(1).confidence()));
      }
    }
  }

  private static Reason refused(Runnable call) {
    return assertThrows(LabelingException.class, call::run).reason();
  }
}
