package dev.lifecycle.activities.deployment.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.activities.store.AsyncRequestStore;
import dev.lifecycle.activities.store.AsyncRequestStore.AsyncRequest;
import dev.lifecycle.activities.store.CaptureStore;
import dev.lifecycle.activities.store.EndpointStore;
import dev.lifecycle.activities.store.EndpointStore.EndpointRecord;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.ModelVersion;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Serving;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints of one worker process: creates them, rolls new versions out, answers real-time and
 * asynchronous requests, captures data, and re-creates the endpoints recorded in the metadata
 * database when the worker starts ({@link #restore()}).
 *
 * <pre>{@code
 * try (ServingRuntime serving = new ServingRuntime(metadata, ModelLoader.fromArtifacts(artifacts),
 *     ServingRuntime.Options.DEFAULT)) {
 *   serving.deploy("abalone", new ModelSpec("abalone-age", 3, model), Serving.DEFAULT, null, null)
 *       .join();
 *   Prediction p = serving.endpoint("abalone").invoke(body);
 * }
 * }</pre>
 */
public final class ServingRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServingRuntime.class);
  private static final ObjectMapper JSON = PlanJson.lenient();

  /** The most characters an asynchronous request body may have (its database column). */
  public static final int MAX_ASYNC_BODY_CHARS = 1_000_000;

  /**
   * Tuning of the runtime.
   *
   * @param maxInstances the most instances one request may carry
   * @param minAlarmRequests requests a baking version must have answered before its alarms judge
   * @param idleCheck how often serverless endpoints look for idle models
   * @param asyncPoll how often the asynchronous worker looks for stored requests it was not told of
   * @param asyncLease how long a claimed asynchronous request stays with its worker before another
   *     may take it (a worker that died)
   * @param asyncWorker whether this runtime answers asynchronous requests (off only in tests)
   * @param sync how often the runtime looks in the metadata database for a version that another
   *     worker promoted on an endpoint it serves, and swaps to it ({@link #sync()}); null or zero:
   *     never
   */
  public record Options(
      int maxInstances,
      int minAlarmRequests,
      Duration idleCheck,
      Duration asyncPoll,
      Duration asyncLease,
      boolean asyncWorker,
      Duration sync) {
    /** 1,000 instances, 20 requests, 1 s, 200 ms, 5 minutes, answering, sync every 10 s. */
    public static final Options DEFAULT =
        new Options(
            1000,
            20,
            Duration.ofSeconds(1),
            Duration.ofMillis(200),
            Duration.ofMinutes(5),
            true,
            Duration.ofSeconds(10));

    /** These options with the given idle check interval. */
    public Options withIdleCheck(Duration idleCheck) {
      return new Options(
          maxInstances, minAlarmRequests, idleCheck, asyncPoll, asyncLease, asyncWorker, sync);
    }

    /** These options with or without the asynchronous worker. */
    public Options withAsyncWorker(boolean on) {
      return new Options(
          maxInstances, minAlarmRequests, idleCheck, asyncPoll, asyncLease, on, sync);
    }

    /** These options syncing every {@code interval} (null or zero: never). */
    public Options withSync(Duration interval) {
      return new Options(
          maxInstances, minAlarmRequests, idleCheck, asyncPoll, asyncLease, asyncWorker, interval);
    }
  }

  private final MetadataStore metadata;
  private final ModelLoader loader;
  private final Options options;
  private final EndpointStore endpointStore;
  private final AsyncRequestStore asyncStore;
  private final DataCapture capture;
  private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Pending> rollouts = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler;
  private final ScheduledExecutorService syncer;
  // Held while an endpoint's routing and its database record may disagree in this runtime (a
  // deploy between swapping and saving), so that sync never mistakes that for another worker's
  // promotion.
  private final Object syncLock = new Object();
  private final ExecutorService closer;
  private final String workerId;
  private final Object asyncSignal = new Object();
  private final Thread asyncThread;
  private volatile boolean closed;

  public ServingRuntime(MetadataStore metadata, ModelLoader loader, Options options) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.loader = Objects.requireNonNull(loader, "loader");
    this.options = Objects.requireNonNull(options, "options");
    this.endpointStore = new EndpointStore(metadata.dataSource());
    this.asyncStore = new AsyncRequestStore(metadata.dataSource());
    this.capture = new DataCapture(new CaptureStore(metadata.dataSource()));
    this.scheduler = Executors.newScheduledThreadPool(1, daemon("serving-timer"));
    this.closer = Executors.newCachedThreadPool(daemon("serving-drain"));
    this.workerId =
        ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString();
    long idle = options.idleCheck().toMillis();
    scheduler.scheduleWithFixedDelay(this::unloadIdle, idle, idle, TimeUnit.MILLISECONDS);
    if (options.sync() != null && !options.sync().isZero() && !options.sync().isNegative()) {
      // Loading a model can take seconds: off the timer thread that ends bakes.
      syncer = Executors.newSingleThreadScheduledExecutor(daemon("serving-sync"));
      long every = options.sync().toMillis();
      syncer.scheduleWithFixedDelay(this::syncQuietly, every, every, TimeUnit.MILLISECONDS);
    } else {
      syncer = null;
    }
    if (options.asyncWorker()) {
      asyncThread = new Thread(this::answerAsync, "serving-async");
      asyncThread.setDaemon(true);
      asyncThread.start();
    } else {
      asyncThread = null;
    }
  }

  Options options() {
    return options;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  DataCapture capture() {
    return capture;
  }

  /** The endpoint store this runtime records its endpoints in. */
  public EndpointStore endpointStore() {
    return endpointStore;
  }

  /** Data capture: ground truth and capture windows. */
  public DataCapture dataCapture() {
    return capture;
  }

  /** Drains and closes {@code instance} on another thread. */
  void closeLater(ModelInstance instance) {
    closer.execute(instance::drainAndClose);
  }

  /**
   * Serves {@code spec} at endpoint {@code name} with {@code serving}: creates the endpoint, or
   * rolls the version out on it. The model is loaded (and warmed up) before this returns; the
   * future completes when the version takes all traffic (then the endpoint is recorded in the
   * database, so workers re-create it) or is rolled back.
   *
   * @param runId the run deploying, recorded with the endpoint; may be null
   * @param step the deploy step, recorded with the endpoint; may be null
   */
  public CompletableFuture<RolloutOutcome> deploy(
      String name, ModelSpec spec, Serving serving, String runId, String step) {
    requireOpen();
    Pending pending = rollouts.get(name);
    if (pending != null
        && pending.spec().equals(spec)
        && pending.serving().equals(serving)
        && !pending.outcome().isDone()) {
      // A retried deploy of the version still baking waits for the same rollout.
      return pending.outcome();
    }
    Endpoint existing = endpoints.get(name);
    if (existing != null
        && existing.version() == spec.version()
        && existing.modelName().equals(spec.modelName())
        && existing.serving().equals(serving)) {
      save(name, spec, serving, runId, step);
      return CompletableFuture.completedFuture(
          new RolloutOutcome(name, spec.version(), true, null));
    }
    ModelInstance next = ModelInstance.create(name, spec, serving, loader, options.maxInstances());
    synchronized (syncLock) {
      CompletableFuture<RolloutOutcome> outcome;
      synchronized (endpoints) {
        Endpoint endpoint = endpoints.get(name);
        if (endpoint == null) {
          endpoint = new Endpoint(name, this);
          endpoint.start(next);
          endpoints.put(name, endpoint);
          outcome =
              CompletableFuture.completedFuture(
                  new RolloutOutcome(name, spec.version(), true, null));
        } else {
          outcome = endpoint.rollOut(next);
        }
      }
      CompletableFuture<RolloutOutcome> saved =
          outcome.thenApply(
              o -> {
                if (o.promoted()) {
                  save(name, spec, serving, runId, step);
                }
                return o;
              });
      rollouts.put(name, new Pending(spec, serving, saved));
      return saved;
    }
  }

  /**
   * Brings every endpoint this runtime serves to the version its database record names, when
   * another worker promoted a new one there (a deploy step ran on that worker): the version is
   * loaded, then swapped in at once with no failed request (its rollout was judged where it ran).
   * Endpoints with a rollout under way here are left alone. Runs every {@link Options#sync()}; an
   * endpoint whose version cannot be loaded is logged and tried again on the next round.
   *
   * @return the names of the endpoints swapped to another version
   */
  public List<String> sync() {
    requireOpen();
    List<String> swapped = new ArrayList<>();
    for (EndpointRecord record : endpointStore.serving()) {
      Endpoint endpoint = endpoints.get(record.name());
      if (endpoint == null || servesRecord(endpoint, record) || rollingOut(record.name())) {
        continue;
      }
      ModelInstance next;
      try {
        next = instanceOf(record);
      } catch (RuntimeException e) {
        log.warn(
            "Endpoint '{}': cannot load {} v{} promoted by another worker: {}",
            record.name(),
            record.modelName(),
            record.version(),
            e.getMessage());
        continue;
      }
      synchronized (syncLock) {
        EndpointRecord now = endpointStore.endpoint(record.name()).orElse(null);
        boolean stillWanted =
            now != null
                && now.state().equals("SERVING")
                && now.modelName().equals(record.modelName())
                && now.version() == record.version()
                && !servesRecord(endpoint, now)
                && !rollingOut(record.name())
                && endpoints.get(record.name()) == endpoint;
        if (!stillWanted || !endpoint.adopt(next)) {
          closeLater(next);
          continue;
        }
      }
      swapped.add(record.name());
      log.info(
          "Endpoint '{}' now serves {} v{}, promoted by another worker",
          record.name(),
          record.modelName(),
          record.version());
    }
    return swapped;
  }

  private void syncQuietly() {
    try {
      if (!closed) {
        sync();
      }
    } catch (RuntimeException e) {
      log.warn("Serving sync: {}", e.getMessage());
    }
  }

  private static boolean servesRecord(Endpoint endpoint, EndpointRecord record) {
    return endpoint.version() == record.version()
        && endpoint.modelName().equals(record.modelName());
  }

  private boolean rollingOut(String name) {
    Pending pending = rollouts.get(name);
    return pending != null && !pending.outcome().isDone();
  }

  /** A loaded instance of the version {@code record} names, read from the registry. */
  private ModelInstance instanceOf(EndpointRecord record) {
    ModelVersion version =
        metadata
            .models()
            .get(record.modelName(), record.version())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the registry has no " + record.modelName() + " v" + record.version()));
    ModelSpec spec =
        new ModelSpec(
            record.modelName(),
            record.version(),
            version.artifact(),
            version.transform().orElse(null));
    return ModelInstance.create(
        record.name(), spec, parseServing(record.servingJson()), loader, options.maxInstances());
  }

  /** A rollout in progress on an endpoint. */
  private record Pending(
      ModelSpec spec, Serving serving, CompletableFuture<RolloutOutcome> outcome) {}

  private void save(String name, ModelSpec spec, Serving serving, String runId, String step) {
    endpointStore.saveEndpoint(
        name, spec.modelName(), spec.version(), servingJson(serving), runId, step);
  }

  /**
   * Re-creates every endpoint recorded in the database that this runtime does not serve yet,
   * loading its version from the model registry. An endpoint whose model cannot be loaded is logged
   * and skipped, so that one broken model does not stop the others.
   *
   * @return the names of the endpoints re-created
   */
  public List<String> restore() {
    requireOpen();
    List<String> restored = new ArrayList<>();
    for (EndpointRecord record : endpointStore.serving()) {
      if (endpoints.containsKey(record.name())) {
        continue;
      }
      try {
        ModelInstance instance = instanceOf(record);
        synchronized (endpoints) {
          if (endpoints.containsKey(record.name())) {
            closeLater(instance);
            continue;
          }
          Endpoint endpoint = new Endpoint(record.name(), this);
          endpoint.start(instance);
          endpoints.put(record.name(), endpoint);
        }
        restored.add(record.name());
        log.info(
            "Re-created endpoint '{}' serving {} v{}",
            record.name(),
            record.modelName(),
            record.version());
      } catch (RuntimeException e) {
        log.warn("Cannot re-create endpoint '{}': {}", record.name(), e.getMessage());
      }
    }
    wakeAsync();
    return restored;
  }

  /** The endpoint called {@code name}. */
  public Endpoint endpoint(String name) {
    Endpoint endpoint = endpoints.get(name);
    if (endpoint == null) {
      throw new UnknownEndpointException(name, names());
    }
    return endpoint;
  }

  /** The endpoint called {@code name}, if this runtime serves it. */
  public Optional<Endpoint> find(String name) {
    return Optional.ofNullable(endpoints.get(name));
  }

  /** The names of the endpoints served, sorted. */
  public List<String> names() {
    return List.copyOf(new TreeSet<>(endpoints.keySet()));
  }

  /**
   * Stores {@code body} for endpoint {@code name} to be answered later, after checking it against
   * the endpoint's schema; returns its id.
   *
   * @throws InvalidInputException naming the field when the body does not fit
   */
  public String submitAsync(String name, JsonNode body) {
    Endpoint endpoint = endpoint(name);
    endpoint.validate(body);
    String json = body.toString();
    if (json.length() > MAX_ASYNC_BODY_CHARS) {
      throw new InvalidInputException(
          "body",
          "An asynchronous request holds at most " + MAX_ASYNC_BODY_CHARS + " characters",
          true);
    }
    String id = UUID.randomUUID().toString();
    asyncStore.submit(id, name, json);
    wakeAsync();
    return id;
  }

  /** The asynchronous request {@code id} of endpoint {@code name}, if there is one. */
  public Optional<AsyncResult> asyncResult(String name, String id) {
    return asyncStore
        .get(id)
        .filter(r -> r.endpoint().equals(name))
        .map(
            r ->
                new AsyncResult(
                    r.id(),
                    r.endpoint(),
                    r.status(),
                    r.outputJson() == null ? null : parse(r.outputJson()),
                    r.error(),
                    r.modelVersion(),
                    r.createdAt(),
                    r.completedAt()));
  }

  /** How many asynchronous requests of {@code name} wait for an answer. */
  public long asyncWaiting(String name) {
    return asyncStore.waiting(name);
  }

  /**
   * Writes the rows of endpoint {@code name} captured in {@code [start, end)} as Parquet; see
   * {@link DataCapture#writeWindow}.
   */
  public long writeCaptureWindow(String name, Instant start, Instant end, Path output) {
    return capture.writeWindow(name, start, end, output);
  }

  private void answerAsync() {
    while (!closed) {
      int answered = 0;
      try {
        List<AsyncRequest> claimed = asyncStore.claim(names(), workerId, options.asyncLease(), 16);
        for (AsyncRequest request : claimed) {
          answer(request);
          answered++;
        }
      } catch (RuntimeException e) {
        log.warn("Asynchronous worker: {}", e.getMessage());
      }
      if (answered == 0) {
        synchronized (asyncSignal) {
          try {
            asyncSignal.wait(options.asyncPoll().toMillis());
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }
  }

  private void answer(AsyncRequest request) {
    Endpoint endpoint = endpoints.get(request.endpoint());
    if (endpoint == null) {
      asyncStore.fail(
          request.id(), workerId, null, "Endpoint '" + request.endpoint() + "' is gone");
      return;
    }
    try {
      Prediction prediction = endpoint.invoke(parse(request.inputJson()));
      asyncStore.complete(
          request.id(), workerId, prediction.modelVersion(), JSON.writeValueAsString(prediction));
    } catch (InvalidInputException e) {
      asyncStore.fail(request.id(), workerId, null, e.field() + ": " + e.getMessage());
    } catch (ModelFailureException e) {
      asyncStore.fail(request.id(), workerId, e.version(), e.getMessage());
    } catch (JsonProcessingException e) {
      asyncStore.fail(request.id(), workerId, null, "Cannot write the answer: " + e.getMessage());
    }
  }

  private void wakeAsync() {
    synchronized (asyncSignal) {
      asyncSignal.notifyAll();
    }
  }

  private void unloadIdle() {
    for (Endpoint e : endpoints.values()) {
      try {
        e.unloadIdle();
      } catch (RuntimeException ex) {
        log.warn("Endpoint '{}': cannot unload: {}", e.name(), ex.getMessage());
      }
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("The serving runtime is closed");
    }
  }

  /** Serving options as stored with an endpoint. */
  public static String servingJson(Serving serving) {
    try {
      return JSON.writeValueAsString(serving);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot write serving options as JSON", e);
    }
  }

  /** Serving options read back from {@link #servingJson}. */
  public static Serving parseServing(String json) {
    try {
      return JSON.readValue(json, Serving.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored serving options are invalid: " + e.getMessage(), e);
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("body", "The body is not valid JSON: " + e.getMessage());
    }
  }

  /** Stops answering, closes every endpoint's models, and writes the remaining captured rows. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    wakeAsync();
    if (asyncThread != null) {
      try {
        asyncThread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    scheduler.shutdownNow();
    if (syncer != null) {
      syncer.shutdownNow();
    }
    for (Endpoint e : endpoints.values()) {
      e.close();
    }
    endpoints.clear();
    closer.shutdown();
    try {
      closer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    capture.close();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
