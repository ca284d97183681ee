package dev.lifecycle.activities.labeling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.lifecycle.activities.labeling.LabelingException.Reason;
import dev.lifecycle.activities.labeling.LabelingRecords.Annotator;
import dev.lifecycle.activities.labeling.LabelingRecords.ConsolidatedLabel;
import dev.lifecycle.activities.labeling.LabelingRecords.Credentials;
import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.Job;
import dev.lifecycle.activities.labeling.LabelingRecords.JobCounts;
import dev.lifecycle.activities.labeling.LabelingRecords.JobSpec;
import dev.lifecycle.activities.labeling.LabelingRecords.JobStatus;
import dev.lifecycle.activities.labeling.LabelingRecords.LabelerProgress;
import dev.lifecycle.activities.labeling.LabelingRecords.NextItem;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.labeling.LabelingRecords.Source;
import dev.lifecycle.activities.labeling.LabelingRecords.StoredAnswer;
import dev.lifecycle.activities.labeling.LabelingRecords.Submission;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.MetadataStoreException;
import dev.lifecycle.dsl.plan.PlanJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labeling queues in the metadata database: jobs, items, annotators and their tokens, job
 * membership, leases and skips, answers and consolidated labels. The labeling activities and the
 * labelers' REST API both work through it.
 *
 * <p>A submission is one transaction: the item's answer counter goes up and the answer row, unique
 * per job, item and annotator, is inserted; its commit is the commit point, so a crash right after
 * it loses nothing. The counter serves the queue and progress reads; consolidation reads the
 * answers themselves. Submitting the same answer again returns the stored one; a different answer
 * is refused with {@link Reason#CONFLICTING_ANSWER}.
 *
 * <pre>{@code
 * LabelingStore store = LabelingStore.of(metadataStore);
 * Credentials ana = store.createAnnotator("ana");          // ana.token() is shown once
 * Annotator who = store.authenticate(token).orElseThrow();
 * NextItem next = store.next(jobId, who.id(), Duration.ofMinutes(10)).orElseThrow();
 * store.submit(jobId, next.item().key(), who.id(), "cat");
 * }</pre>
 *
 * <p>Thread-safe; expects the schema migrated ({@link MetadataStore} does it on open).
 */
public final class LabelingStore {
  private static final Logger log = LoggerFactory.getLogger(LabelingStore.class);
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  private static final int BATCH = 1000;

  /** Priorities read per queue query at first (the window grows fourfold while nothing fits). */
  private static final long WINDOW = 256;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String JOB =
      "SELECT id, run_id, step, workflow_id, dataset_uri, dataset_sha256, classes_json, free_text,"
          + " instructions, annotators_per_item, status, created_at, closed_at FROM labeling_job ";
  private static final String ITEM =
      "SELECT item_key, route, priority, model_label, model_confidence, uncertainty, gold_label"
          + " FROM labeling_item ";
  private static final String ANSWER =
      "SELECT x.id, x.job_id, x.item_key, a.name, x.answer, x.answered_at FROM labeling_answer x"
          + " JOIN labeling_annotator a ON a.id = x.annotator_id ";

  private static final String ITEM_I =
      "SELECT i.item_key, i.route, i.priority, i.model_label, i.model_confidence, i.uncertainty,"
          + " i.gold_label FROM labeling_item i ";

  /** Candidate items read per queue query before leasing one of them. */
  private static final int CANDIDATES = 16;

  /** Queue reads per {@code next} while others keep taking the candidates first. */
  private static final int ROUNDS = 64;

  private final Sql sql;

  /** Per job, a priority before which every item for people has all its answers. */
  private final Map<Long, Long> watermarks = new java.util.concurrent.ConcurrentHashMap<>();

  /** Assignments seen, so each answer need not ask again (they are never taken back). */
  private final java.util.Set<Membership> memberships =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Per open job, the highest priority of its items for people. */
  private final Map<Long, Long> lastPriorities = new java.util.concurrent.ConcurrentHashMap<>();

  /** A store over {@code dataSource}, whose schema is migrated. */
  public LabelingStore(DataSource dataSource) {
    this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** The labeling store in {@code metadata}'s database. */
  public static LabelingStore of(MetadataStore metadata) {
    return new LabelingStore(metadata.dataSource());
  }

  // ---------------------------------------------------------------- annotators

  /**
   * Creates an annotator with a new random token, returned only here.
   *
   * @throws LabelingException {@link Reason#DUPLICATE_ANNOTATOR} when the name is taken
   * @throws IllegalArgumentException when the name is not {@code [A-Za-z][A-Za-z0-9_-]{0,63}}
   */
  public Credentials createAnnotator(String name) {
    requireName(name);
    String token = newToken();
    int inserted =
        sql.updateUnlessDuplicate(
            "INSERT INTO labeling_annotator (name, token_sha256, created_at) VALUES (?, ?, ?)",
            s -> {
              s.setString(1, name);
              s.setString(2, sha256(token));
              s.setObject(3, Sql.now());
            });
    if (inserted < 0) {
      throw new LabelingException(
          Reason.DUPLICATE_ANNOTATOR, "An annotator named '" + name + "' exists already");
    }
    return new Credentials(annotator(name).orElseThrow(), token);
  }

  /** Gives {@code name} a new token (the old one stops working) and returns it. */
  public Credentials resetToken(String name) {
    String token = newToken();
    int updated =
        sql.update(
            "UPDATE labeling_annotator SET token_sha256 = ? WHERE name = ?",
            s -> {
              s.setString(1, sha256(token));
              s.setString(2, name);
            });
    if (updated == 0) {
      throw new LabelingException(
          Reason.UNKNOWN_ANNOTATOR, "There is no annotator named '" + name + "'");
    }
    return new Credentials(annotator(name).orElseThrow(), token);
  }

  /** The annotator named {@code name}. */
  public Optional<Annotator> annotator(String name) {
    return sql.queryOne(
        "SELECT id, name, created_at FROM labeling_annotator WHERE name = ?",
        s -> s.setString(1, name),
        LabelingStore::annotator);
  }

  /** The annotator whose token is {@code token}; empty for an unknown or blank token. */
  public Optional<Annotator> authenticate(String token) {
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    return sql.queryOne(
        "SELECT id, name, created_at FROM labeling_annotator WHERE token_sha256 = ?",
        s -> s.setString(1, sha256(token)),
        LabelingStore::annotator);
  }

  /** Creates those of {@code names} that do not exist yet, with tokens nobody knows until reset. */
  public void ensureAnnotators(List<String> names) {
    for (String name : names) {
      requireName(name);
      if (annotator(name).isEmpty()) {
        String unused = newToken();
        sql.updateUnlessDuplicate(
            "INSERT INTO labeling_annotator (name, token_sha256, created_at) VALUES (?, ?, ?)",
            s -> {
              s.setString(1, name);
              s.setString(2, sha256(unused));
              s.setObject(3, Sql.now());
            });
      }
    }
  }

  // ---------------------------------------------------------------- jobs

  /**
   * Creates the job of {@code spec.runId()} and {@code spec.step()} with status {@code PREPARING},
   * or returns the one created before (a retried activity continues where it stopped).
   */
  public Job createJob(JobSpec spec) {
    Optional<Job> existing = jobByRun(spec.runId(), spec.step());
    if (existing.isPresent()) {
      return existing.get();
    }
    sql.updateUnlessDuplicate(
        "INSERT INTO labeling_job (run_id, step, workflow_id, dataset_uri, dataset_sha256,"
            + " classes_json, free_text, instructions, annotators_per_item, status, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s -> {
          s.setString(1, spec.runId());
          s.setString(2, spec.step());
          nullable(s, 3, spec.workflowId());
          s.setString(4, spec.datasetUri());
          s.setString(5, spec.datasetSha256());
          s.setString(6, json(spec.classes()));
          s.setBoolean(7, spec.freeText());
          nullable(s, 8, spec.instructions());
          s.setInt(9, spec.annotatorsPerItem());
          s.setString(10, JobStatus.PREPARING.name());
          s.setObject(11, Sql.now());
        });
    return jobByRun(spec.runId(), spec.step())
        .orElseThrow(() -> new MetadataStoreException("Labeling job vanished after creation"));
  }

  /** The job of a run's label step. */
  public Optional<Job> jobByRun(String runId, String step) {
    return sql.queryOne(
        JOB + "WHERE run_id = ? AND step = ?",
        s -> {
          s.setString(1, runId);
          s.setString(2, step);
        },
        LabelingStore::job);
  }

  /**
   * The job {@code jobId}.
   *
   * @throws LabelingException {@link Reason#UNKNOWN_JOB} when there is none
   */
  public Job job(long jobId) {
    return sql.queryOne(JOB + "WHERE id = ?", s -> s.setLong(1, jobId), LabelingStore::job)
        .orElseThrow(
            () -> new LabelingException(Reason.UNKNOWN_JOB, "There is no labeling job " + jobId));
  }

  /** The open jobs {@code annotatorId} is assigned to, oldest first. */
  public List<Job> jobsOf(long annotatorId) {
    return sql.query(
        JOB
            + "WHERE status = 'OPEN' AND id IN (SELECT job_id FROM labeling_member WHERE"
            + " annotator_id = ?) ORDER BY id",
        s -> s.setLong(1, annotatorId),
        LabelingStore::job);
  }

  /** Every job, newest first; with {@code status}, only the jobs in it. */
  public List<Job> jobs(JobStatus status) {
    return status == null
        ? sql.query(JOB + "ORDER BY id DESC", s -> {}, LabelingStore::job)
        : sql.query(
            JOB + "WHERE status = ? ORDER BY id DESC",
            s -> s.setString(1, status.name()),
            LabelingStore::job);
  }

  /** The names of the annotators assigned to the job, sorted. */
  public List<String> members(long jobId) {
    return sql.query(
        "SELECT a.name FROM labeling_member m JOIN labeling_annotator a ON a.id = m.annotator_id"
            + " WHERE m.job_id = ? ORDER BY a.name",
        s -> s.setLong(1, jobId),
        r -> r.getString(1));
  }

  /** Whether {@code annotatorId} is assigned to the job. */
  public boolean isMember(long jobId, long annotatorId) {
    Membership membership = new Membership(jobId, annotatorId);
    if (memberships.contains(membership)) {
      return true;
    }
    boolean member =
        sql.count(
                "SELECT COUNT(*) FROM labeling_member WHERE job_id = ? AND annotator_id = ?",
                s -> {
                  s.setLong(1, jobId);
                  s.setLong(2, annotatorId);
                })
            > 0;
    if (member) {
      // Assignments are never taken back, so a yes stays true; a no is asked again next time.
      memberships.add(membership);
    }
    return member;
  }

  private record Membership(long job, long annotator) {}

  /** Item {@code itemKey} of the job. */
  public Optional<Item> item(long jobId, long itemKey) {
    return sql.queryOne(
        ITEM + "WHERE job_id = ? AND item_key = ?",
        s -> {
          s.setLong(1, jobId);
          s.setLong(2, itemKey);
        },
        LabelingStore::item);
  }

  /** {@code annotatorId}'s answer to item {@code itemKey} of the job, if they gave one. */
  public Optional<StoredAnswer> answerOf(long jobId, long itemKey, long annotatorId) {
    return sql.queryOne(
        ANSWER + "WHERE x.job_id = ? AND x.item_key = ? AND x.annotator_id = ?",
        s -> {
          s.setLong(1, jobId);
          s.setLong(2, itemKey);
          s.setLong(3, annotatorId);
        },
        LabelingStore::answer);
  }

  /**
   * Whether item {@code itemKey} has exactly the answers it needs: the job's answers per item, or
   * the more it asked for after a disagreement. Asked right after an answer, it says whether that
   * answer completed the item.
   */
  public boolean justCompleted(Job job, long itemKey) {
    return sql.count(
            "SELECT COUNT(*) FROM labeling_item WHERE job_id = ? AND item_key = ?"
                + " AND answers = COALESCE(annotators_wanted, ?)",
            s -> {
              s.setLong(1, job.id());
              s.setLong(2, itemKey);
              s.setInt(3, job.annotatorsPerItem());
            })
        > 0;
  }

  /**
   * Adds items to a preparing job; keys it has already are left as they are, so a retried
   * preparation may add the same items again. Each batch inserts only the missing keys, in SQL, so
   * nothing about the job's existing items is held in memory.
   */
  public void addItems(long jobId, List<Item> items) {
    Job job = job(jobId);
    if (job.status() != JobStatus.PREPARING) {
      throw new IllegalStateException(
          "Labeling job " + jobId + " is " + job.status() + "; items are added while PREPARING");
    }
    for (int from = 0; from < items.size(); from += BATCH) {
      List<Item> batch = items.subList(from, Math.min(items.size(), from + BATCH));
      sql.transaction(
          "add items to job " + jobId,
          c -> {
            try (PreparedStatement s =
                c.prepareStatement(
                    "INSERT INTO labeling_item (job_id, item_key, route, priority, model_label,"
                        + " model_confidence, uncertainty, gold_label)"
                        + " SELECT ?, ?, ?, ?, ?, ?, ?, ? FROM (VALUES (1)) one (x) WHERE NOT EXISTS"
                        + " (SELECT 1 FROM labeling_item WHERE job_id = ? AND item_key = ?)")) {
              for (Item item : batch) {
                s.setLong(1, jobId);
                s.setLong(2, item.key());
                s.setString(3, item.route().name());
                s.setLong(4, item.priority());
                nullable(s, 5, item.modelLabel());
                nullableDouble(s, 6, item.modelConfidence());
                nullableDouble(s, 7, item.uncertainty());
                nullable(s, 8, item.goldLabel());
                s.setLong(9, jobId);
                s.setLong(10, item.key());
                s.addBatch();
              }
              s.executeBatch();
            }
            return null;
          });
    }
  }

  /** Assigns the annotators named {@code names} to the job (already assigned ones stay). */
  public void assign(long jobId, List<String> names) {
    job(jobId);
    for (String name : names) {
      Annotator annotator =
          annotator(name)
              .orElseThrow(
                  () ->
                      new LabelingException(
                          Reason.UNKNOWN_ANNOTATOR, "There is no annotator named '" + name + "'"));
      sql.updateUnlessDuplicate(
          "INSERT INTO labeling_member (job_id, annotator_id) VALUES (?, ?)",
          s -> {
            s.setLong(1, jobId);
            s.setLong(2, annotator.id());
          });
    }
  }

  /** Opens a prepared job to labelers (no-op when open; refused when closed). */
  public void open(long jobId) {
    sql.update(
        "UPDATE labeling_job SET status = 'OPEN' WHERE id = ? AND status = 'PREPARING'",
        s -> s.setLong(1, jobId));
  }

  /** Closes the job: no more answers are accepted. Closing a closed job changes nothing. */
  public void close(long jobId) {
    job(jobId);
    sql.update(
        "UPDATE labeling_job SET status = 'CLOSED', closed_at = ? WHERE id = ? AND status <>"
            + " 'CLOSED'",
        s -> {
          s.setObject(1, Sql.now());
          s.setLong(2, jobId);
        });
  }

  // ---------------------------------------------------------------- labelers

  /**
   * The next item for {@code annotatorId}: an item for people that still needs answers, that they
   * have neither answered nor skipped, and that is not leased to enough others; their own live
   * lease first, then by priority. The item is leased to them for {@code lease}. Empty when nothing
   * is left for them.
   *
   * <p>Leasing is atomic: candidates are read without locks, then each is locked ({@code SELECT ...
   * FOR UPDATE SKIP LOCKED}, on H2 and PostgreSQL alike), checked again under the lock and leased
   * in the same transaction. Answers take the same row lock ({@link #submit}), so an item is never
   * leased to more labelers than the answers it still wants; a candidate another labeler holds is
   * passed over, and waited for only when nothing else is free.
   *
   * <p>The queue is read from the job's watermark on: every item for people before it has all its
   * answers (answers are never removed, so that stays true), and the scan starts there instead of
   * walking past every finished item again.
   *
   * @throws LabelingException when the job is unknown or closed, or they are not assigned to it
   */
  public Optional<NextItem> next(long jobId, long annotatorId, Duration lease) {
    Job job = openJob(jobId);
    requireMember(job, annotatorId);
    OffsetDateTime now = Sql.now();
    OffsetDateTime until = now.plus(lease);
    // Their own live lease is theirs already: renewing it takes nothing from anyone.
    Optional<Item> own =
        sql.queryOne(
            ITEM_I
                + "JOIN labeling_assignment s ON s.job_id = i.job_id AND s.item_key = i.item_key"
                + " WHERE s.job_id = ? AND s.annotator_id = ? AND s.status = 'LEASED'"
                + " AND s.leased_until > ?"
                + " AND NOT EXISTS (SELECT 1 FROM labeling_answer y WHERE y.job_id = i.job_id"
                + "   AND y.item_key = i.item_key AND y.annotator_id = s.annotator_id)"
                + " AND i.answers < COALESCE(i.annotators_wanted, ?)"
                + " ORDER BY i.priority, i.item_key FETCH FIRST 1 ROWS ONLY",
            s -> {
              s.setLong(1, jobId);
              s.setLong(2, annotatorId);
              s.setObject(3, now);
              s.setInt(4, job.annotatorsPerItem());
            },
            LabelingStore::item);
    if (own.isPresent()) {
      sql.update(
          "UPDATE labeling_assignment SET leased_until = ? WHERE job_id = ? AND item_key = ?"
              + " AND annotator_id = ? AND status = 'LEASED'",
          s -> {
            s.setObject(1, until);
            s.setLong(2, jobId);
            s.setLong(3, own.get().key());
            s.setLong(4, annotatorId);
          });
      return Optional.of(new NextItem(job, own.get()));
    }
    for (int round = 0; round < ROUNDS; round++) {
      List<Item> candidates = candidates(job, annotatorId, now);
      if (candidates.isEmpty()) {
        return Optional.empty();
      }
      List<Item> held = new ArrayList<>();
      for (Item candidate : candidates) {
        Leased leased = lease(job, candidate.key(), annotatorId, now, until, true);
        if (leased.item() != null) {
          return Optional.of(new NextItem(job, leased.item()));
        }
        if (leased.held()) {
          held.add(candidate);
        }
      }
      // Every free candidate was taken meanwhile; wait for those others hold (their answer or
      // lease commits within milliseconds) before reading the queue again.
      for (Item candidate : held) {
        Leased leased = lease(job, candidate.key(), annotatorId, now, until, false);
        if (leased.item() != null) {
          return Optional.of(new NextItem(job, leased.item()));
        }
      }
    }
    log.warn(
        "Labeling job {}: annotator {} lost the race for every queued item {} times over; no item"
            + " this time",
        jobId,
        annotatorId,
        ROUNDS);
    return Optional.empty();
  }

  /**
   * Up to {@link #CANDIDATES} items that look free for the annotator, read without locks: disputed
   * items that asked for more annotators first (they are few, and may lie behind the watermark,
   * which never moves back), then the queue from the watermark on, in windows of priorities so each
   * query weighs a few hundred rows however long the job.
   */
  private List<Item> candidates(Job job, long annotatorId, OffsetDateTime now) {
    long jobId = job.id();
    List<Item> items =
        sql.query(
            ITEM_I
                + "WHERE i.job_id = ? AND i.annotators_wanted >= 1"
                + " AND i.answers < i.annotators_wanted"
                + openFor("?")
                + takenBelow("i.annotators_wanted")
                + " ORDER BY i.priority, i.item_key FETCH FIRST "
                + CANDIDATES
                + " ROWS ONLY",
            s -> {
              s.setLong(1, jobId);
              s.setLong(2, annotatorId);
              s.setLong(3, annotatorId);
              s.setObject(4, now);
              s.setLong(5, annotatorId);
            },
            LabelingStore::item);
    long last = lastPriority(job);
    long from = watermark(job);
    long span = WINDOW;
    while (items.isEmpty() && from <= last) {
      long start = from;
      long end = span > last - start ? last + 1 : start + span;
      items =
          sql.query(
              ITEM_I
                  + "WHERE i.job_id = ? AND i.route = 'PEOPLE' AND i.priority >= ?"
                  + " AND i.priority < ?"
                  + WANTS_ANSWER_FROM
                  + " ORDER BY i.priority, i.item_key FETCH FIRST "
                  + CANDIDATES
                  + " ROWS ONLY",
              s -> {
                s.setLong(1, jobId);
                s.setLong(2, start);
                s.setLong(3, end);
                bindWantsAnswerFrom(s, 4, job, annotatorId, now);
              },
              LabelingStore::item);
      from = end;
      span = Math.min(span * 4, Long.MAX_VALUE / 8);
    }
    return items;
  }

  /** What an attempt to lease one item gave: the item (leased), or why not. */
  private record Leased(Item item, boolean held) {
    static final Leased TAKEN = new Leased(null, false);
    static final Leased HELD = new Leased(null, true);
  }

  /**
   * Leases item {@code key} to the annotator in one transaction: locks the item's row (passing it
   * over when {@code skipLocked} and another transaction holds it), checks under the lock that it
   * still wants answers from them, and writes the lease.
   */
  private Leased lease(
      Job job,
      long key,
      long annotatorId,
      OffsetDateTime now,
      OffsetDateTime until,
      boolean skipLocked) {
    return sql.transaction(
        "lease item " + key + " of labeling job " + job.id(),
        c -> {
          boolean locked;
          try {
            locked =
                !Sql.query(
                        c,
                        "SELECT item_key FROM labeling_item WHERE job_id = ? AND item_key = ?"
                            + (skipLocked ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE"),
                        s -> {
                          s.setLong(1, job.id());
                          s.setLong(2, key);
                        },
                        r -> r.getLong(1))
                    .isEmpty();
          } catch (SQLException e) {
            if (!Sql.isLockTimeout(e)) {
              throw e;
            }
            c.rollback();
            return Leased.HELD;
          }
          if (!locked) {
            return Leased.HELD;
          }
          // A new statement, so it sees every lease and answer committed before the lock.
          List<Item> free =
              Sql.query(
                  c,
                  ITEM_I
                      + "WHERE i.job_id = ? AND i.item_key = ? AND i.route = 'PEOPLE'"
                      + WANTS_ANSWER_FROM,
                  s -> {
                    s.setLong(1, job.id());
                    s.setLong(2, key);
                    bindWantsAnswerFrom(s, 3, job, annotatorId, now);
                  },
                  LabelingStore::item);
          if (free.isEmpty()) {
            return Leased.TAKEN;
          }
          Sql.Binder keys =
              s -> {
                s.setObject(1, until);
                s.setLong(2, job.id());
                s.setLong(3, key);
                s.setLong(4, annotatorId);
              };
          if (Sql.update(
                  c,
                  "UPDATE labeling_assignment SET leased_until = ? WHERE job_id = ? AND"
                      + " item_key = ? AND annotator_id = ? AND status = 'LEASED'",
                  keys)
              == 0) {
            try {
              Sql.update(
                  c,
                  "INSERT INTO labeling_assignment (leased_until, job_id, item_key, annotator_id,"
                      + " status) VALUES (?, ?, ?, ?, 'LEASED')",
                  keys);
            } catch (SQLException e) {
              if (!Sql.isUniqueViolation(e)) {
                throw e;
              }
              // They skipped it at this very moment.
              c.rollback();
              return Leased.TAKEN;
            }
          }
          return new Leased(free.get(0), false);
        });
  }

  /**
   * The priority of the job's first item for people that lacks answers (moved forward and cached
   * per job: it never moves back), or one past the last when all have them.
   */
  private long watermark(Job job) {
    long last = lastPriority(job);
    long from = watermarks.getOrDefault(job.id(), Long.MIN_VALUE);
    if (from == Long.MIN_VALUE) {
      from =
          sql.queryOne(
                  "SELECT MIN(priority) FROM labeling_item WHERE job_id = ? AND route = 'PEOPLE'",
                  s -> s.setLong(1, job.id()),
                  r -> r.getObject(1) == null ? Long.MAX_VALUE : r.getLong(1))
              .orElse(Long.MAX_VALUE);
    }
    long span = WINDOW;
    while (from <= last) {
      long start = from;
      long end = span > last - start ? last + 1 : start + span;
      Optional<Long> first =
          sql.queryOne(
              "SELECT i.priority FROM labeling_item i WHERE i.job_id = ? AND i.route = 'PEOPLE'"
                  + " AND i.priority >= ? AND i.priority < ?"
                  + " AND i.answers < COALESCE(i.annotators_wanted, ?)"
                  + " ORDER BY i.priority FETCH FIRST 1 ROWS ONLY",
              s -> {
                s.setLong(1, job.id());
                s.setLong(2, start);
                s.setLong(3, end);
                s.setInt(4, job.annotatorsPerItem());
              },
              r -> r.getLong(1));
      if (first.isPresent()) {
        from = first.get();
        break;
      }
      from = end;
      span = Math.min(span * 4, Long.MAX_VALUE / 8);
    }
    long found = from;
    watermarks.merge(job.id(), found, Math::max);
    return found;
  }

  /** The highest priority of the job's items for people (fixed once the job is open). */
  private long lastPriority(Job job) {
    return lastPriorities.computeIfAbsent(
        job.id(),
        id ->
            sql.queryOne(
                    "SELECT MAX(priority) FROM labeling_item WHERE job_id = ? AND route = 'PEOPLE'",
                    s -> s.setLong(1, id),
                    r -> r.getObject(1) == null ? Long.MIN_VALUE : r.getLong(1))
                .orElse(Long.MIN_VALUE));
  }

  /**
   * Stores {@code annotatorId}'s answer to item {@code itemKey}. The insert is the commit point.
   *
   * @throws LabelingException {@code UNKNOWN_JOB}, {@code JOB_CLOSED}, {@code NOT_ASSIGNED}, {@code
   *     UNKNOWN_ITEM} (also for an item not meant for people), {@code INVALID_ANSWER} (not in the
   *     label schema) or {@code CONFLICTING_ANSWER} (they answered it differently before); nothing
   *     is stored then
   */
  public Submission submit(long jobId, long itemKey, long annotatorId, String answer) {
    Job job = openJob(jobId);
    requireMember(job, annotatorId);
    Item item = requireItemForPeople(job, itemKey);
    String value = answer == null ? null : answer.strip();
    if (!job.allows(value)) {
      throw new LabelingException(
          Reason.INVALID_ANSWER,
          "Answer '"
              + answer
              + "' to item "
              + item.key()
              + " of job "
              + jobId
              + " is not in the label schema "
              + job.classes()
              + (job.freeText() ? " (free text must not be blank)" : ""));
    }
    if (value.length() > 1000) {
      throw new LabelingException(
          Reason.INVALID_ANSWER, "Answer to item " + itemKey + " is longer than 1000 characters");
    }
    // One transaction: the item's counter first (it takes the row lock leasing takes, so the two
    // never interleave), then the answer row, the commit point, then the lease it ends.
    int inserted =
        sql.transaction(
            "store an answer to item " + itemKey + " of labeling job " + jobId,
            c -> {
              Sql.update(
                  c,
                  "UPDATE labeling_item SET answers = answers + 1 WHERE job_id = ? AND item_key = ?",
                  s -> {
                    s.setLong(1, jobId);
                    s.setLong(2, itemKey);
                  });
              try {
                Sql.update(
                    c,
                    "INSERT INTO labeling_answer (job_id, item_key, annotator_id, answer,"
                        + " answered_at) VALUES (?, ?, ?, ?, ?)",
                    s -> {
                      s.setLong(1, jobId);
                      s.setLong(2, itemKey);
                      s.setLong(3, annotatorId);
                      s.setString(4, value);
                      s.setObject(5, Sql.now());
                    });
              } catch (SQLException e) {
                if (!Sql.isUniqueViolation(e)) {
                  throw e;
                }
                c.rollback();
                return -1;
              }
              Sql.update(
                  c,
                  "DELETE FROM labeling_assignment WHERE job_id = ? AND item_key = ? AND"
                      + " annotator_id = ? AND status = 'LEASED'",
                  s -> {
                    s.setLong(1, jobId);
                    s.setLong(2, itemKey);
                    s.setLong(3, annotatorId);
                  });
              return 1;
            });
    StoredAnswer stored =
        sql.queryOne(
                ANSWER + "WHERE x.job_id = ? AND x.item_key = ? AND x.annotator_id = ?",
                s -> {
                  s.setLong(1, jobId);
                  s.setLong(2, itemKey);
                  s.setLong(3, annotatorId);
                },
                LabelingStore::answer)
            .orElseThrow(() -> new MetadataStoreException("Answer vanished after it was stored"));
    if (inserted < 0 && !stored.answer().equals(value)) {
      throw new LabelingException(
          Reason.CONFLICTING_ANSWER,
          stored.annotator()
              + " answered item "
              + itemKey
              + " of job "
              + jobId
              + " with '"
              + stored.answer()
              + "' already; an answer cannot be changed to '"
              + value
              + "'");
    }
    return new Submission(stored, inserted > 0);
  }

  /** {@code annotatorId} skips item {@code itemKey}: it is not shown to them again. */
  public void skip(long jobId, long itemKey, long annotatorId) {
    Job job = openJob(jobId);
    requireMember(job, annotatorId);
    requireItemForPeople(job, itemKey);
    Sql.Binder keys =
        s -> {
          s.setLong(1, jobId);
          s.setLong(2, itemKey);
          s.setLong(3, annotatorId);
        };
    if (sql.update(
            "UPDATE labeling_assignment SET status = 'SKIPPED' WHERE job_id = ? AND item_key = ?"
                + " AND annotator_id = ?",
            keys)
        == 0) {
      sql.updateUnlessDuplicate(
          "INSERT INTO labeling_assignment (job_id, item_key, annotator_id, status, leased_until)"
              + " VALUES (?, ?, ?, 'SKIPPED', ?)",
          s -> {
            keys.bind(s);
            s.setObject(4, Sql.now());
          });
    }
  }

  /**
   * {@code annotatorId}'s progress in the job, from the items' answer counters: the items still
   * open to them are the items for people short of answers (read from the job's watermark on, plus
   * the disputed ones behind it) minus those of them they answered or skipped (read from their own
   * answers and skips). No query groups the job's answers.
   */
  public LabelerProgress progressOf(long jobId, long annotatorId) {
    Job job = job(jobId);
    requireMember(job, annotatorId);
    return progress(job, annotatorId);
  }

  /** {@link #progressOf} for a job already read and an annotator known to be its member. */
  private LabelerProgress progress(Job job, long annotatorId) {
    long jobId = job.id();
    long watermark = watermark(job);
    // Items short of answers lie at or after the watermark, or are disputed ones (always for
    // people) behind it; only the partly answered among them need a look at their answers.
    String open =
        " FROM labeling_item i WHERE i.job_id = ? AND i.route = 'PEOPLE' AND i.priority >= ?"
            + " AND i.answers < COALESCE(i.annotators_wanted, ?)";
    String disputed =
        " FROM labeling_item i WHERE i.job_id = ? AND i.annotators_wanted >= 1"
            + " AND i.answers < i.annotators_wanted AND i.priority < ?";
    String answeredByMe =
        " AND i.answers > 0 AND EXISTS (SELECT 1 FROM labeling_answer y WHERE y.job_id = i.job_id"
            + " AND y.item_key = i.item_key AND y.annotator_id = ?)";
    return sql.queryOne(
            "SELECT (SELECT COUNT(*) FROM labeling_answer WHERE annotator_id = ? AND job_id = ?),"
                + " (SELECT COUNT(*) FROM labeling_assignment WHERE job_id = ? AND annotator_id = ?"
                + "   AND status = 'SKIPPED'),"
                + " (SELECT COUNT(*)"
                + open
                + "),"
                + " (SELECT COUNT(*)"
                + disputed
                + "),"
                + " (SELECT COUNT(*)"
                + open
                + answeredByMe
                + "),"
                + " (SELECT COUNT(*)"
                + disputed
                + answeredByMe
                + "),"
                + " (SELECT COUNT(*) FROM labeling_assignment z JOIN labeling_item i"
                + "   ON i.job_id = z.job_id AND i.item_key = z.item_key"
                + "   WHERE z.job_id = ? AND z.annotator_id = ? AND z.status = 'SKIPPED'"
                + "   AND i.answers < COALESCE(i.annotators_wanted, ?) AND NOT EXISTS (SELECT 1"
                + "   FROM labeling_answer y WHERE y.job_id = z.job_id AND y.item_key = z.item_key"
                + "   AND y.annotator_id = z.annotator_id))"
                + " FROM (VALUES (1)) one (x)",
            s -> {
              int p = 0;
              s.setLong(++p, annotatorId);
              s.setLong(++p, jobId);
              s.setLong(++p, jobId);
              s.setLong(++p, annotatorId);
              for (int mine = 0; mine < 2; mine++) {
                s.setLong(++p, jobId);
                s.setLong(++p, watermark);
                s.setInt(++p, job.annotatorsPerItem());
                if (mine == 1) {
                  s.setLong(++p, annotatorId);
                }
                s.setLong(++p, jobId);
                s.setLong(++p, watermark);
                if (mine == 1) {
                  s.setLong(++p, annotatorId);
                }
              }
              s.setLong(++p, jobId);
              s.setLong(++p, annotatorId);
              s.setInt(++p, job.annotatorsPerItem());
            },
            r ->
                new LabelerProgress(
                    r.getLong(1),
                    r.getLong(2),
                    r.getLong(3) + r.getLong(4) - r.getLong(5) - r.getLong(6) - r.getLong(7)))
        .orElseThrow();
  }

  // ---------------------------------------------------------------- progress and consolidation

  /**
   * The job's counts, in one pass over its items (an item is human-labeled when its answer counter
   * reaches the answers it wants; only items for people take answers).
   */
  public JobCounts counts(long jobId) {
    Job job = job(jobId);
    return sql.queryOne(
            "SELECT COUNT(*),"
                + " SUM(CASE WHEN route = 'AUTO' THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN route = 'PEOPLE' THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN gold_label IS NOT NULL THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN answers >= COALESCE(annotators_wanted, ?) THEN 1 ELSE 0 END),"
                + " SUM(answers)"
                + " FROM labeling_item WHERE job_id = ?",
            s -> {
              s.setInt(1, job.annotatorsPerItem());
              s.setLong(2, jobId);
            },
            r ->
                new JobCounts(
                    r.getLong(1),
                    r.getLong(2),
                    r.getLong(3),
                    r.getLong(4),
                    r.getLong(5),
                    r.getLong(6)))
        .orElseThrow();
  }

  /**
   * The assigned annotators who could still answer an item that needs answers (one they have
   * neither answered nor skipped), sorted by name. One set-based count per annotator.
   */
  public List<String> waitingOn(long jobId) {
    Job job = job(jobId);
    List<Annotator> members =
        sql.query(
            "SELECT a.id, a.name, a.created_at FROM labeling_member m JOIN labeling_annotator a"
                + " ON a.id = m.annotator_id WHERE m.job_id = ? ORDER BY a.name",
            s -> s.setLong(1, jobId),
            LabelingStore::annotator);
    List<String> waiting = new ArrayList<>();
    for (Annotator member : members) {
      if (progress(job, member.id()).remaining() > 0) {
        waiting.add(member.name());
      }
    }
    return waiting;
  }

  /** Every item of the job, by key. */
  public List<Item> items(long jobId) {
    return sql.query(
        ITEM + "WHERE job_id = ? ORDER BY item_key", s -> s.setLong(1, jobId), LabelingStore::item);
  }

  /** Every answer of the job, by item key and then in the order they came. */
  public Map<Long, List<StoredAnswer>> answers(long jobId) {
    Map<Long, List<StoredAnswer>> byItem = new LinkedHashMap<>();
    for (StoredAnswer a :
        sql.query(
            ANSWER + "WHERE x.job_id = ? ORDER BY x.item_key, x.id",
            s -> s.setLong(1, jobId),
            LabelingStore::answer)) {
      byItem.computeIfAbsent(a.itemKey(), k -> new ArrayList<>()).add(a);
    }
    return byItem;
  }

  /** Replaces the job's consolidated labels with {@code labels}, in one transaction. */
  public void saveLabels(long jobId, List<ConsolidatedLabel> labels) {
    sql.transaction(
        "save the labels of job " + jobId,
        c -> {
          Sql.update(c, "DELETE FROM labeling_label WHERE job_id = ?", s -> s.setLong(1, jobId));
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO labeling_label (job_id, item_key, label, source, annotators_json,"
                      + " agreement, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int pending = 0;
            for (ConsolidatedLabel label : labels) {
              s.setLong(1, jobId);
              s.setLong(2, label.itemKey());
              nullable(s, 3, label.label());
              s.setString(4, label.source().name());
              s.setString(5, json(label.annotators()));
              nullableDouble(s, 6, label.agreement());
              nullableDouble(s, 7, label.confidence());
              s.addBatch();
              if (++pending == BATCH) {
                s.executeBatch();
                pending = 0;
              }
            }
            if (pending > 0) {
              s.executeBatch();
            }
          }
          return null;
        });
  }

  /** The job's consolidated labels, by item key. */
  public List<ConsolidatedLabel> labels(long jobId) {
    return sql.query(
        "SELECT item_key, label, source, annotators_json, agreement, confidence FROM"
            + " labeling_label WHERE job_id = ? ORDER BY item_key",
        s -> s.setLong(1, jobId),
        r ->
            new ConsolidatedLabel(
                r.getLong("item_key"),
                r.getString("label"),
                Source.valueOf(r.getString("source")),
                fromJson(r.getString("annotators_json")),
                Sql.nullableDouble(r, "agreement"),
                Sql.nullableDouble(r, "confidence")));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * SQL: item {@code i}'s answers (its counter) plus the live leases of other annotators who have
   * not answered it are fewer than {@code wanted} (parameters: now, the asking annotator).
   */
  private static String takenBelow(String wanted) {
    return " AND i.answers"
        + " + (SELECT COUNT(*) FROM labeling_assignment s WHERE s.job_id = i.job_id"
        + "   AND s.item_key = i.item_key AND s.status = 'LEASED' AND s.leased_until > ?"
        + "   AND s.annotator_id <> ? AND NOT EXISTS (SELECT 1 FROM labeling_answer y"
        + "   WHERE y.job_id = s.job_id AND y.item_key = s.item_key"
        + "   AND y.annotator_id = s.annotator_id)) < "
        + wanted;
  }

  /**
   * SQL: item {@code i} (for people) still lacks answers, the annotator has neither answered nor
   * skipped it, and other annotators' live leases leave room for them; bound by {@link
   * #bindWantsAnswerFrom}.
   */
  private static final String WANTS_ANSWER_FROM =
      " AND i.answers < COALESCE(i.annotators_wanted, ?)"
          + openFor("?")
          + takenBelow("COALESCE(i.annotators_wanted, ?)");

  /** Binds the six parameters of {@link #WANTS_ANSWER_FROM}, the first at {@code at}. */
  private static void bindWantsAnswerFrom(
      PreparedStatement s, int at, Job job, long annotatorId, OffsetDateTime now)
      throws SQLException {
    s.setInt(at, job.annotatorsPerItem());
    s.setLong(at + 1, annotatorId);
    s.setLong(at + 2, annotatorId);
    s.setObject(at + 3, now);
    s.setLong(at + 4, annotatorId);
    s.setInt(at + 5, job.annotatorsPerItem());
  }

  /** SQL: item {@code i} is neither answered nor skipped by the annotator {@code who}. */
  private static String openFor(String who) {
    return " AND NOT EXISTS (SELECT 1 FROM labeling_answer y WHERE y.job_id = i.job_id"
        + " AND y.item_key = i.item_key AND y.annotator_id = "
        + who
        + ") AND NOT EXISTS (SELECT 1 FROM labeling_assignment z WHERE z.job_id = i.job_id"
        + " AND z.item_key = i.item_key AND z.annotator_id = "
        + who
        + " AND z.status = 'SKIPPED')";
  }

  private Job openJob(long jobId) {
    Job job = job(jobId);
    if (job.status() != JobStatus.OPEN) {
      throw new LabelingException(
          Reason.JOB_CLOSED,
          "Labeling job "
              + jobId
              + " (step '"
              + job.step()
              + "') is "
              + job.status().name().toLowerCase(java.util.Locale.ROOT)
              + " and takes no answers");
    }
    return job;
  }

  private void requireMember(Job job, long annotatorId) {
    if (!isMember(job.id(), annotatorId)) {
      throw new LabelingException(
          Reason.NOT_ASSIGNED,
          "Annotator " + annotatorId + " is not assigned to labeling job " + job.id());
    }
  }

  private Item requireItemForPeople(Job job, long itemKey) {
    Optional<Item> item =
        sql.queryOne(
            ITEM + "WHERE job_id = ? AND item_key = ?",
            s -> {
              s.setLong(1, job.id());
              s.setLong(2, itemKey);
            },
            LabelingStore::item);
    if (item.isEmpty() || item.get().route() != Route.PEOPLE) {
      throw new LabelingException(
          Reason.UNKNOWN_ITEM,
          "Labeling job "
              + job.id()
              + " has no item "
              + itemKey
              + (item.isPresent() ? " for people (it is " + item.get().route() + ")" : ""));
    }
    return item.get();
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Annotator name '"
              + name
              + "' is not valid: it starts with a letter and holds at most 64 letters, digits,"
              + " '_' or '-'");
    }
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JVM has no SHA-256", e);
    }
  }

  private static Job job(ResultSet r) throws SQLException {
    OffsetDateTime created = r.getObject("created_at", OffsetDateTime.class);
    OffsetDateTime closed = r.getObject("closed_at", OffsetDateTime.class);
    int perItem = r.getInt("annotators_per_item");
    return new Job(
        r.getLong("id"),
        r.getString("run_id"),
        r.getString("step"),
        r.getString("workflow_id"),
        r.getString("dataset_uri"),
        r.getString("dataset_sha256"),
        fromJson(r.getString("classes_json")),
        r.getBoolean("free_text"),
        r.getString("instructions"),
        perItem,
        JobStatus.valueOf(r.getString("status")),
        created.toInstant(),
        closed == null ? null : closed.toInstant());
  }

  private static Item item(ResultSet r) throws SQLException {
    return new Item(
        r.getLong("item_key"),
        Route.valueOf(r.getString("route")),
        r.getLong("priority"),
        r.getString("model_label"),
        Sql.nullableDouble(r, "model_confidence"),
        Sql.nullableDouble(r, "uncertainty"),
        r.getString("gold_label"));
  }

  private static Annotator annotator(ResultSet r) throws SQLException {
    return new Annotator(
        r.getLong("id"),
        r.getString("name"),
        r.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  private static StoredAnswer answer(ResultSet r) throws SQLException {
    return new StoredAnswer(
        r.getLong(1),
        r.getLong(2),
        r.getLong(3),
        r.getString(4),
        r.getString(5),
        r.getObject(6, OffsetDateTime.class).toInstant());
  }

  private static void nullable(PreparedStatement s, int index, String value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, value);
    }
  }

  private static void nullableDouble(PreparedStatement s, int index, Double value)
      throws SQLException {
    if (value == null) {
      s.setNull(index, Types.DOUBLE);
    } else {
      s.setDouble(index, value);
    }
  }

  private static String json(List<String> values) {
    try {
      return PlanJson.lenient().writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot write " + values + " as JSON", e);
    }
  }

  private static List<String> fromJson(String json) {
    try {
      return PlanJson.lenient().readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new MetadataStoreException("Stored labeling data is not valid JSON: " + json, e);
    }
  }

  // ---------------------------------------------------------------- extra annotators (labcore)

  /**
   * Raises how many answers items need: {@code wanted} maps item keys to answer counts (1 to 9).
   * Only items for people are raised, and a count never goes down, so asking twice is harmless.
   * Returns how many items now need more answers than before.
   *
   * @throws LabelingException {@code UNKNOWN_JOB} or {@code JOB_CLOSED}
   * @throws IllegalArgumentException naming the item when a count is outside 1 to 9
   */
  public int requestAnnotators(long jobId, Map<Long, Integer> wanted) {
    openJob(jobId);
    wanted.forEach(
        (key, count) -> {
          if (count == null || count < 1 || count > 9) {
            throw new IllegalArgumentException(
                "Item "
                    + key
                    + " of labeling job "
                    + jobId
                    + " cannot need "
                    + count
                    + " answers;"
                    + " an item needs 1 to 9");
          }
        });
    List<Map.Entry<Long, Integer>> entries = new ArrayList<>(wanted.entrySet());
    int raised = 0;
    for (int from = 0; from < entries.size(); from += BATCH) {
      List<Map.Entry<Long, Integer>> batch =
          entries.subList(from, Math.min(entries.size(), from + BATCH));
      raised +=
          sql.transaction(
              "ask for more annotators in job " + jobId,
              c -> {
                int n = 0;
                for (Map.Entry<Long, Integer> e : batch) {
                  n +=
                      Sql.update(
                          c,
                          "UPDATE labeling_item SET annotators_wanted = ? WHERE job_id = ? AND"
                              + " item_key = ? AND route = 'PEOPLE' AND COALESCE(annotators_wanted,"
                              + " (SELECT annotators_per_item FROM labeling_job WHERE id = ?)) < ?",
                          s -> {
                            s.setInt(1, e.getValue());
                            s.setLong(2, jobId);
                            s.setLong(3, e.getKey());
                            s.setLong(4, jobId);
                            s.setInt(5, e.getValue());
                          });
                }
                return n;
              });
    }
    return raised;
  }

  /** The items that need a count of answers other than their job's, by key. */
  public Map<Long, Integer> annotatorsWanted(long jobId) {
    Map<Long, Integer> wanted = new LinkedHashMap<>();
    sql.query(
            "SELECT item_key, annotators_wanted FROM labeling_item WHERE job_id = ? AND"
                + " annotators_wanted IS NOT NULL ORDER BY item_key",
            s -> s.setLong(1, jobId),
            r -> Map.entry(r.getLong(1), r.getInt(2)))
        .forEach(e -> wanted.put(e.getKey(), e.getValue()));
    return wanted;
  }

  // ---------------------------------------------------------------- re-scoring (labcore)

  /**
   * SQL: item {@code i} is for people, not gold, not disputed, and nobody has answered it or holds
   * a lease. Disputed items (more annotators asked for) stay with people: the queue and progress
   * reads find them by {@code annotators_wanted} alone.
   */
  private static final String OPEN_FOR_RESCORING =
      " i.route = 'PEOPLE' AND i.gold_label IS NULL AND i.annotators_wanted IS NULL"
          + " AND i.answers = 0 AND NOT EXISTS (SELECT 1"
          + " FROM labeling_assignment s WHERE s.job_id = i.job_id AND s.item_key = i.item_key AND"
          + " s.status = 'LEASED' AND s.leased_until > ?)";

  /**
   * The items a retrained model may re-score: for people, not gold, not disputed, with no answer
   * and no live lease, by key.
   */
  public List<Item> openForRescoring(long jobId) {
    job(jobId);
    OffsetDateTime now = Sql.now();
    return sql.query(
        ITEM + "i WHERE i.job_id = ? AND" + OPEN_FOR_RESCORING + " ORDER BY i.item_key",
        s -> {
          s.setLong(1, jobId);
          s.setObject(2, now);
        },
        LabelingStore::item);
  }

  /**
   * Stores a retrained model's view of items: route ({@code AUTO} takes an item away from people),
   * queue priority, the model's label, confidence and uncertainty. Only items still open for
   * re-scoring change (one answered or taken meanwhile keeps what it had), in one transaction.
   * Returns how many changed.
   *
   * @throws LabelingException {@code UNKNOWN_JOB} or {@code JOB_CLOSED}
   * @throws IllegalArgumentException when an item's route is {@code OVER_BUDGET}
   */
  public int rescore(long jobId, List<Item> items) {
    openJob(jobId);
    for (Item item : items) {
      if (item.route() == Route.OVER_BUDGET) {
        throw new IllegalArgumentException(
            "Item "
                + item.key()
                + " of labeling job "
                + jobId
                + " cannot be re-scored over budget");
      }
    }
    OffsetDateTime now = Sql.now();
    return sql.transaction(
        "re-score the items of job " + jobId,
        c -> {
          int changed = 0;
          for (Item item : items) {
            changed +=
                Sql.update(
                    c,
                    "UPDATE labeling_item i SET route = ?, priority = ?, model_label = ?,"
                        + " model_confidence = ?, uncertainty = ? WHERE i.job_id = ? AND"
                        + " i.item_key = ? AND"
                        + OPEN_FOR_RESCORING,
                    s -> {
                      s.setString(1, item.route().name());
                      s.setLong(2, item.priority());
                      nullable(s, 3, item.modelLabel());
                      nullableDouble(s, 4, item.modelConfidence());
                      nullableDouble(s, 5, item.uncertainty());
                      s.setLong(6, jobId);
                      s.setLong(7, item.key());
                      s.setObject(8, now);
                    });
          }
          return changed;
        });
  }
}
