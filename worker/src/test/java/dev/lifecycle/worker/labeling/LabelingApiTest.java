package dev.lifecycle.worker.labeling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.JobSpec;
import dev.lifecycle.activities.labeling.LabelingRecords.LabelerProgress;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.labeling.LabelingRecords.StoredAnswer;
import dev.lifecycle.activities.labeling.LabelingStore;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.worker.EmbeddedTemporalTestSupport;
import dev.lifecycle.workflows.activities.ArtifactRef;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The labelers' and the admin's REST API over a real worker and H2 store: sign-in, one item at a
 * time in queue order, answers, skips, progress, images, and every refusal (401, 403, 404, 409,
 * 422) with a body naming the field, after which the store is unchanged.
 */
@MicronautTest
class LabelingApiTest extends EmbeddedTemporalTestSupport {
  static final String ADMIN = "test-admin-token";
  private static final AtomicInteger NAMES = new AtomicInteger();

  private Http http;
  private LabelingStore store;
  private LifecycleActivities activities;
  private Path data;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(super.getProperties());
    properties.put("lifecycle.labeling.admin-token", ADMIN);
    return properties;
  }

  @BeforeAll
  void connect() throws Exception {
    http = new Http(context.getBean(EmbeddedServer.class).getPort());
    store = context.getBean(LabelingStore.class);
    activities = context.getBean(LifecycleActivities.class);
    data = Files.createTempDirectory("labeling-api-data");
  }

  /** A new annotator through the admin API; returns the token. */
  private String annotator(String name) {
    Http.Response created =
        http.post("/api/labeling/admin/annotators", ADMIN, Map.of("name", name));
    assertEquals(201, created.status(), created.toString());
    assertEquals(name, created.json().get("name").asText());
    return created.json().get("token").asText();
  }

  private static String name(String prefix) {
    return prefix + NAMES.incrementAndGet();
  }

  /** An open job over {@code dataset} with {@code items}, built in the store as prepare does. */
  private long job(Path dataset, List<String> classes, int perItem, List<Item> items) {
    ArtifactRef ref = activities.artifacts().put(dataset, ValueType.DATASET, "parquet");
    long id =
        store
            .createJob(
                new JobSpec(
                    UUID.randomUUID().toString(),
                    "label",
                    null,
                    ref.uri(),
                    ref.sha256(),
                    classes,
                    false,
                    "Pick what the picture shows.",
                    perItem))
            .id();
    store.addItems(id, items);
    store.open(id);
    return id;
  }

  private static Item people(long key, long priority) {
    return new Item(key, Route.PEOPLE, priority, null, null, null, null);
  }

  private long imageJob(int rows) throws Exception {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      items.add(people(i, rows - i)); // queue order is the reverse of the keys
    }
    return job(Datasets.images(data, rows), List.of("shirt", "sneaker", "bag"), 1, items);
  }

  private void assign(long job, String... names) {
    Http.Response assigned =
        http.post(
            "/api/labeling/admin/jobs/" + job + "/annotators",
            ADMIN,
            Map.of("annotators", List.of(names)));
    assertEquals(200, assigned.status(), assigned.toString());
  }

  @Test
  void aLabelerSignsInAndLabelsOneItemAtATimeInQueueOrder() throws Exception {
    long job = imageJob(3);
    String ana = name("ana");
    String token = annotator(ana);
    assign(job, ana);

    Http.Response signedIn = http.post("/api/labeling/sign-in", null, Map.of("token", token));
    assertEquals(200, signedIn.status(), signedIn.toString());
    assertEquals(ana, signedIn.json().get("annotator").asText());
    JsonNode jobs = signedIn.json().get("jobs");
    assertEquals(1, jobs.size(), jobs.toString());
    assertEquals(job, jobs.get(0).get("id").asLong());
    assertEquals("Pick what the picture shows.", jobs.get(0).get("instructions").asText());
    assertEquals("[\"shirt\",\"sneaker\",\"bag\"]", jobs.get(0).get("classes").toString());
    assertEquals(3, jobs.get(0).get("progress").get("remaining").asLong());

    List<Long> seen = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      Http.Response next = http.get("/api/labeling/jobs/" + job + "/next", token);
      assertEquals(200, next.status(), next.toString());
      JsonNode item = next.json().get("item");
      assertEquals("image", item.get("kind").asText());
      assertFalse(item.get("fields").has("label"), "the true label is hidden: " + item);
      assertEquals(n, next.json().get("progress").get("answered").asLong());
      long key = item.get("key").asLong();
      seen.add(key);
      // Asking again before answering returns the same item (the lease is theirs).
      assertEquals(
          key,
          http.get("/api/labeling/jobs/" + job + "/next", token)
              .json()
              .get("item")
              .get("key")
              .asLong());
      Http.Response answered =
          http.post(
              "/api/labeling/jobs/" + job + "/items/" + key + "/answer", token, Http.answer("bag"));
      assertEquals(201, answered.status(), answered.toString());
      assertEquals("bag", answered.json().get("answer").asText());
    }
    assertEquals(List.of(2L, 1L, 0L), seen, "queue order is by priority");

    Http.Response done = http.get("/api/labeling/jobs/" + job + "/next", token);
    assertTrue(done.json().get("item").isNull(), done.toString());
    JsonNode progress = http.get("/api/labeling/jobs/" + job + "/progress", token).json();
    assertEquals(3, progress.get("answered").asLong());
    assertEquals(0, progress.get("remaining").asLong());
    assertEquals(3, store.answers(job).size());
  }

  @Test
  void imagesAreServedAsPngToTheJobsLabelersOnly() throws Exception {
    long job = imageJob(2);
    String ana = name("ana");
    String token = annotator(ana);
    String outsider = annotator(name("eve"));
    assign(job, ana);

    Http.Response png = http.get("/api/labeling/jobs/" + job + "/items/1/image", token);
    assertEquals(200, png.status(), png.toString());
    assertEquals("image/png", png.raw().headers().firstValue("Content-Type").orElseThrow());
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.bytes()));
    assertEquals(28, image.getWidth());
    assertEquals(28, image.getHeight());
    byte[] expected = Datasets.pixels(1);
    byte[] actual = new byte[28 * 28];
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        actual[y * 28 + x] = (byte) image.getRaster().getSample(x, y, 0);
      }
    }
    assertArrayEquals(expected, actual);

    assertEquals(401, http.get("/api/labeling/jobs/" + job + "/items/1/image", null).status());
    Http.Response forbidden = http.get("/api/labeling/jobs/" + job + "/items/1/image", outsider);
    assertEquals(403, forbidden.status(), forbidden.toString());
    assertEquals("job", forbidden.json().get("field").asText());
    Http.Response missing = http.get("/api/labeling/jobs/" + job + "/items/9/image", token);
    assertEquals(404, missing.status(), missing.toString());
    assertEquals(9, missing.json().get("item").asLong());
  }

  @Test
  void textItemsShowTheirTextAndHideTheLabelColumn() throws Exception {
    long job =
        job(Datasets.texts(data, 2), List.of("pos", "neg"), 1, List.of(people(0, 0), people(1, 1)));
    String ben = name("ben");
    String token = annotator(ben);
    assign(job, ben);

    JsonNode item = http.get("/api/labeling/jobs/" + job + "/next", token).json().get("item");
    assertEquals("text", item.get("kind").asText());
    assertEquals("review number 0", item.get("text").asText());
    assertEquals(0, item.get("fields").get("id").asLong());
    assertFalse(item.get("fields").has("label"), item.toString());
    assertFalse(item.hasNonNull("image"), item.toString());
  }

  @Test
  void noOrBadTokenIs401AndStoresNothing() throws Exception {
    long job = imageJob(1);
    Http.Response none =
        http.post("/api/labeling/jobs/" + job + "/items/0/answer", null, Http.answer("bag"));
    assertEquals(401, none.status(), none.toString());
    assertEquals("token", none.json().get("field").asText());
    assertTrue(none.raw().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    Http.Response bad =
        http.post("/api/labeling/jobs/" + job + "/items/0/answer", "nope", Http.answer("bag"));
    assertEquals(401, bad.status(), bad.toString());
    assertEquals(401, http.get("/api/labeling/jobs", "nope").status());
    assertEquals(401, http.post("/api/labeling/sign-in", null, Map.of("token", "nope")).status());
    assertEquals(401, http.post("/api/labeling/sign-in", null, Map.of()).status());
    assertTrue(store.answers(job).isEmpty());
  }

  @Test
  void anUnassignedLabelerIs403SeesNoJobAndStoresNothing() throws Exception {
    long job = imageJob(2);
    String eve = name("eve");
    String token = annotator(eve);

    assertEquals(0, http.get("/api/labeling/jobs", token).json().size());
    for (Http.Response r :
        List.of(
            http.get("/api/labeling/jobs/" + job, token),
            http.get("/api/labeling/jobs/" + job + "/next", token),
            http.get("/api/labeling/jobs/" + job + "/progress", token),
            http.post("/api/labeling/jobs/" + job + "/items/0/answer", token, Http.answer("bag")),
            http.post("/api/labeling/jobs/" + job + "/items/0/skip", token, null))) {
      assertEquals(403, r.status(), r.toString());
      assertEquals("job", r.json().get("field").asText(), r.toString());
    }
    assertTrue(store.answers(job).isEmpty());
  }

  @Test
  void anAnswerOutsideTheSchemaIs422NamingTheAnswerAndStoresNothing() throws Exception {
    long job = imageJob(2);
    String ana = name("ana");
    String token = annotator(ana);
    assign(job, ana);
    long annotatorId = store.annotator(ana).orElseThrow().id();

    for (String wrong : List.of("cow", "", "  ", "Bag")) {
      Http.Response r =
          http.post("/api/labeling/jobs/" + job + "/items/1/answer", token, Http.answer(wrong));
      assertEquals(422, r.status(), r.toString());
      assertEquals("answer", r.json().get("field").asText());
      assertEquals(1, r.json().get("item").asLong());
      assertTrue(r.error().contains("'" + wrong + "'"), r.error());
    }
    Http.Response missing =
        http.post("/api/labeling/jobs/" + job + "/items/1/answer", token, Map.of());
    assertEquals(400, missing.status(), missing.toString());
    assertEquals("answer", missing.json().get("field").asText());
    Http.Response notJson =
        http.postRaw("/api/labeling/jobs/" + job + "/items/1/answer", token, "{\"answer\": ");
    assertEquals(400, notJson.status(), notJson.toString());

    assertTrue(store.answers(job).isEmpty());
    assertEquals(new LabelerProgress(0, 0, 2), store.progressOf(job, annotatorId));
  }

  @Test
  void anUnknownItemIs404NamingTheItemAndStoresNothing() throws Exception {
    List<Item> items =
        List.of(people(0, 0), new Item(1, Route.AUTO, Long.MAX_VALUE, "bag", 0.99, null, null));
    long job = job(Datasets.images(data, 2), List.of("shirt", "sneaker", "bag"), 1, items);
    String ana = name("ana");
    String token = annotator(ana);
    assign(job, ana);

    for (long key : List.of(1L, 77L)) {
      Http.Response r =
          http.post(
              "/api/labeling/jobs/" + job + "/items/" + key + "/answer", token, Http.answer("bag"));
      assertEquals(404, r.status(), r.toString());
      assertEquals("item", r.json().get("field").asText());
      assertEquals(key, r.json().get("item").asLong());
      assertTrue(r.error().contains("item " + key), r.error());
    }
    Http.Response badKey =
        http.post("/api/labeling/jobs/" + job + "/items/x1/answer", token, Http.answer("bag"));
    assertEquals(400, badKey.status(), badKey.toString());
    assertEquals("item", badKey.json().get("field").asText());
    Http.Response noJob =
        http.post("/api/labeling/jobs/99999/items/0/answer", token, Http.answer("bag"));
    assertEquals(404, noJob.status(), noJob.toString());
    assertEquals("job", noJob.json().get("field").asText());
    assertTrue(store.answers(job).isEmpty());
  }

  @Test
  void aSecondAnswerToTheSameItemIs409AndKeepsTheFirst() throws Exception {
    long job = imageJob(2);
    String ana = name("ana");
    String token = annotator(ana);
    assign(job, ana);
    String path = "/api/labeling/jobs/" + job + "/items/0/answer";
    assertEquals(201, http.post(path, token, Http.answer("shirt")).status());
    Map<Long, List<StoredAnswer>> before = store.answers(job);

    for (String again : List.of("bag", "shirt")) {
      Http.Response r = http.post(path, token, Http.answer(again));
      assertEquals(409, r.status(), r.toString());
      assertEquals("item", r.json().get("field").asText());
      assertEquals(0, r.json().get("item").asLong());
      assertEquals("shirt", r.json().get("stored").asText(), r.toString());
    }
    assertEquals(before, store.answers(job));
  }

  @Test
  void aSkippedItemIsNotShownAgain() throws Exception {
    long job = imageJob(2);
    String ana = name("ana");
    String token = annotator(ana);
    assign(job, ana);
    long first =
        http.get("/api/labeling/jobs/" + job + "/next", token)
            .json()
            .get("item")
            .get("key")
            .asLong();

    Http.Response skipped =
        http.post("/api/labeling/jobs/" + job + "/items/" + first + "/skip", token, null);
    assertEquals(200, skipped.status(), skipped.toString());

    JsonNode next = http.get("/api/labeling/jobs/" + job + "/next", token).json();
    assertTrue(next.get("item").get("key").asLong() != first, next.toString());
    assertEquals(1, next.get("progress").get("skipped").asLong());
    assertEquals(1, next.get("progress").get("remaining").asLong());
  }

  @Test
  void theAdminApiNeedsTheAdminToken() {
    for (String token : new String[] {null, "wrong", "test-admin-token-and-more"}) {
      Http.Response r =
          http.post("/api/labeling/admin/annotators", token, Map.of("name", name("zed")));
      assertEquals(401, r.status(), r.toString());
      assertEquals("token", r.json().get("field").asText());
    }
    // An annotator's token is not an admin token.
    String ana = annotator(name("ana"));
    assertEquals(401, http.get("/api/labeling/admin/jobs", ana).status());
  }

  @Test
  void adminCreatesAnnotatorsOnceResetsTokensAndRefusesBadNames() {
    String ana = name("ana");
    String token = annotator(ana);
    Http.Response again = http.post("/api/labeling/admin/annotators", ADMIN, Map.of("name", ana));
    assertEquals(409, again.status(), again.toString());
    assertEquals("name", again.json().get("field").asText());
    Http.Response bad =
        http.post("/api/labeling/admin/annotators", ADMIN, Map.of("name", "1 bad name"));
    assertEquals(400, bad.status(), bad.toString());
    assertEquals("name", bad.json().get("field").asText());
    assertTrue(store.annotator("1 bad name").isEmpty());

    Http.Response reset =
        http.post("/api/labeling/admin/annotators/" + ana + "/token", ADMIN, null);
    assertEquals(200, reset.status(), reset.toString());
    String fresh = reset.json().get("token").asText();
    assertEquals(401, http.post("/api/labeling/sign-in", null, Map.of("token", token)).status());
    assertEquals(200, http.post("/api/labeling/sign-in", null, Map.of("token", fresh)).status());
    assertEquals(
        404, http.post("/api/labeling/admin/annotators/nobody-here/token", ADMIN, null).status());
  }

  @Test
  void assigningAnUnknownAnnotatorAssignsNobody() throws Exception {
    long job = imageJob(1);
    String ana = name("ana");
    annotator(ana);

    Http.Response r =
        http.post(
            "/api/labeling/admin/jobs/" + job + "/annotators",
            ADMIN,
            Map.of("annotators", List.of(ana, "ghost")));
    assertEquals(404, r.status(), r.toString());
    assertEquals("annotators", r.json().get("field").asText());
    assertTrue(r.error().contains("ghost"), r.error());
    assertEquals(List.of(), store.members(job));
    Http.Response empty =
        http.post("/api/labeling/admin/jobs/" + job + "/annotators", ADMIN, Map.of());
    assertEquals(400, empty.status(), empty.toString());
  }

  @Test
  void adminListsJobsWithCountsAndAnnotators() throws Exception {
    long job = imageJob(3);
    String ana = name("ana");
    String token = annotator(ana);
    assign(job, ana);
    http.post("/api/labeling/jobs/" + job + "/items/2/answer", token, Http.answer("shirt"));

    JsonNode view = http.get("/api/labeling/admin/jobs/" + job, ADMIN).json();
    assertEquals(3, view.get("counts").get("items").asLong(), view.toString());
    assertEquals(3, view.get("counts").get("forPeople").asLong());
    assertEquals(1, view.get("counts").get("humanLabeled").asLong());
    assertEquals(1, view.get("counts").get("answers").asLong());
    assertEquals("[\"" + ana + "\"]", view.get("annotators").toString());
    assertEquals("OPEN", view.get("status").asText());

    JsonNode open = http.get("/api/labeling/admin/jobs?status=open", ADMIN).json();
    assertTrue(open.findValues("id").stream().anyMatch(id -> id.asLong() == job), open.toString());
    Http.Response badStatus = http.get("/api/labeling/admin/jobs?status=done", ADMIN);
    assertEquals(400, badStatus.status(), badStatus.toString());
    assertEquals("status", badStatus.json().get("field").asText());
  }

  @Test
  void closingAJobWithoutAWorkflowIs409() throws Exception {
    long job = imageJob(1);
    Http.Response r = http.post("/api/labeling/admin/jobs/" + job + "/close", ADMIN, null);
    assertEquals(409, r.status(), r.toString());
    assertEquals("job", r.json().get("field").asText());
  }

  @Test
  void theLabelingPageIsServed() {
    Http.Response page = http.get("/label/index.html", null);
    assertEquals(200, page.status());
    assertTrue(new String(page.bytes()).contains("label.js"));
    assertEquals(200, http.get("/label/label.js", null).status());
    assertEquals(200, http.get("/label/label.css", null).status());
    assertEquals(303, http.get("/label", null).status());
  }
}
