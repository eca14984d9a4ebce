package dev.sentinel.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link IncidentMemory} adapter must have. An adapter's test extends this and
 * opens a memory of {@link Embedder#MINILM_DIMENSIONS} dimensions that is empty when each test
 * starts.
 */
public abstract class IncidentMemoryContract {

  protected static final int DIMENSIONS = Embedder.MINILM_DIMENSIONS;

  private IncidentMemory memory;

  /** Opens the adapter's memory on storage that is empty for this test. */
  protected abstract IncidentMemory open();

  protected IncidentMemory memory() {
    if (memory == null) {
      memory = open();
    }
    return memory;
  }

  @AfterEach
  void closeMemory() {
    if (memory != null) {
      memory.close();
    }
  }

  /** A random unit-ish vector; the same seed gives the same vector. */
  protected static float[] vector(long seed) {
    Random random = new Random(seed);
    float[] vector = new float[DIMENSIONS];
    for (int i = 0; i < DIMENSIONS; i++) {
      vector[i] = (float) random.nextGaussian();
    }
    return vector;
  }

  /**
   * {@code base} moved a little towards noise: similarity to base falls as {@code amount} grows.
   */
  protected static float[] near(float[] base, double amount, long seed) {
    float[] noise = vector(seed);
    float[] moved = new float[base.length];
    for (int i = 0; i < base.length; i++) {
      moved[i] = (float) (base[i] + amount * noise[i]);
    }
    return moved;
  }

  protected static MemoryDocument document(
      String id, MemoryKind kind, float[] vector, String service) {
    return new MemoryDocument(
        id, kind, "text of " + id, vector, Map.of("service", service, "incidentId", id));
  }

  @Test
  void an_empty_memory_finds_nothing() {
    assertThat(memory().count()).isZero();
    assertThat(memory().search(new MemoryQuery(vector(1), 5, Set.of(), Map.of()))).isEmpty();
    assertThat(memory().dimensions()).isEqualTo(DIMENSIONS);
  }

  @Test
  void search_returns_the_nearest_documents_first_with_their_cosine_similarity() {
    float[] base = vector(1);
    memory().upsert(document("far", MemoryKind.INCIDENT, vector(2), "api"));
    memory().upsert(document("close", MemoryKind.INCIDENT, near(base, 0.3, 3), "api"));
    memory().upsert(document("closer", MemoryKind.INCIDENT, near(base, 0.1, 4), "api"));
    memory().upsert(document("same", MemoryKind.INCIDENT, base, "api"));

    List<MemoryHit> hits = memory().search(new MemoryQuery(base, 3, Set.of(), Map.of()));

    assertThat(hits).extracting(MemoryHit::id).containsExactly("same", "closer", "close");
    assertThat(hits.get(0).similarity()).isCloseTo(1.0, within(1e-3));
    assertThat(hits.get(1).similarity())
        .isCloseTo(Vectors.cosine(base, near(base, 0.1, 4)), within(1e-3));
    assertThat(hits.get(2).similarity())
        .isCloseTo(Vectors.cosine(base, near(base, 0.3, 3)), within(1e-3));
    assertThat(hits.get(0).text()).isEqualTo("text of same");
    assertThat(hits.get(0).kind()).isEqualTo(MemoryKind.INCIDENT);
    assertThat(hits.get(0).payload())
        .containsEntry("service", "api")
        .containsEntry("incidentId", "same");
  }

  @Test
  void similarity_spans_opposite_to_identical() {
    float[] base = vector(7);
    float[] opposite = new float[DIMENSIONS];
    for (int i = 0; i < DIMENSIONS; i++) {
      opposite[i] = -2 * base[i];
    }
    memory().upsert(document("opposite", MemoryKind.RUNBOOK, opposite, "db"));
    memory().upsert(document("scaled", MemoryKind.RUNBOOK, scale(base, 3), "db"));

    List<MemoryHit> hits = memory().search(new MemoryQuery(base, 2, Set.of(), Map.of()));

    assertThat(hits).extracting(MemoryHit::id).containsExactly("scaled", "opposite");
    assertThat(hits.get(0).similarity()).isCloseTo(1.0, within(1e-3));
    assertThat(hits.get(1).similarity()).isCloseTo(-1.0, within(1e-3));
  }

  @Test
  void upserting_an_id_again_replaces_the_document() {
    memory().upsert(document("incident-1", MemoryKind.INCIDENT, vector(1), "api"));
    memory()
        .upsert(
            new MemoryDocument(
                "incident-1",
                MemoryKind.RESOLUTION,
                "fixed by restart",
                vector(2),
                Map.of("service", "db", "outcome", "recovered")));

    assertThat(memory().count()).isEqualTo(1);
    List<MemoryHit> hits = memory().search(new MemoryQuery(vector(2), 5, Set.of(), Map.of()));
    assertThat(hits).hasSize(1);
    assertThat(hits.get(0).text()).isEqualTo("fixed by restart");
    assertThat(hits.get(0).kind()).isEqualTo(MemoryKind.RESOLUTION);
    assertThat(hits.get(0).payload())
        .containsEntry("outcome", "recovered")
        .doesNotContainKey("incidentId");
    assertThat(hits.get(0).similarity()).isCloseTo(1.0, within(1e-3));
  }

  @Test
  void search_keeps_to_the_kinds_asked_for() {
    float[] base = vector(1);
    memory().upsert(document("incident", MemoryKind.INCIDENT, base, "api"));
    memory().upsert(document("resolution", MemoryKind.RESOLUTION, near(base, 0.2, 2), "api"));
    memory().upsert(document("runbook", MemoryKind.RUNBOOK, near(base, 0.4, 3), "api"));

    assertThat(memory().search(MemoryQuery.of(base, 5, MemoryKind.RESOLUTION)))
        .extracting(MemoryHit::id)
        .containsExactly("resolution");
    assertThat(
            memory()
                .search(
                    new MemoryQuery(
                        base, 5, Set.of(MemoryKind.INCIDENT, MemoryKind.RUNBOOK), Map.of())))
        .extracting(MemoryHit::id)
        .containsExactly("incident", "runbook");
  }

  @Test
  void payload_filters_must_all_match_exactly() {
    float[] base = vector(1);
    memory().upsert(withOutcome("api-ok", base, "api", "recovered"));
    memory().upsert(withOutcome("api-worse", near(base, 0.1, 2), "api", "worse"));
    memory().upsert(withOutcome("db-ok", near(base, 0.05, 3), "db", "recovered"));

    List<MemoryHit> hits =
        memory()
            .search(
                new MemoryQuery(
                    base, 5, Set.of(), Map.of("service", "api", "outcome", "recovered")));
    assertThat(hits).extracting(MemoryHit::id).containsExactly("api-ok");
    assertThat(memory().search(new MemoryQuery(base, 5, Set.of(), Map.of("service", "nobody"))))
        .isEmpty();
  }

  @Test
  void a_filtered_search_still_finds_matches_behind_many_nearer_documents() {
    // An index that filters after taking the k nearest would return nothing here.
    float[] base = vector(1);
    for (int i = 0; i < 200; i++) {
      memory().upsert(document("api-" + i, MemoryKind.INCIDENT, near(base, 0.05, 100 + i), "api"));
    }
    memory().upsert(document("db-far", MemoryKind.INCIDENT, vector(2), "db"));

    assertThat(memory().search(new MemoryQuery(base, 3, Set.of(), Map.of("service", "db"))))
        .extracting(MemoryHit::id)
        .containsExactly("db-far");
  }

  @Test
  void the_limit_caps_the_hits() {
    for (int i = 0; i < 10; i++) {
      memory().upsert(document("d" + i, MemoryKind.INCIDENT, vector(i), "api"));
    }
    assertThat(memory().search(new MemoryQuery(vector(3), 4, Set.of(), Map.of()))).hasSize(4);
    assertThat(memory().search(new MemoryQuery(vector(3), 4, Set.of(), Map.of())).get(0).id())
        .isEqualTo("d3");
  }

  @Test
  void delete_forgets_a_document_and_is_harmless_for_an_absent_id() {
    memory().upsert(document("a", MemoryKind.INCIDENT, vector(1), "api"));
    memory().upsert(document("b", MemoryKind.INCIDENT, vector(2), "api"));

    assertThat(memory().delete("a")).isTrue();
    assertThat(memory().delete("a")).isFalse();
    assertThat(memory().delete("never")).isFalse();

    assertThat(memory().count()).isEqualTo(1);
    assertThat(memory().search(new MemoryQuery(vector(1), 5, Set.of(), Map.of())))
        .extracting(MemoryHit::id)
        .containsExactly("b");
  }

  @Test
  void vectors_of_the_wrong_length_are_refused() {
    float[] tooShort = new float[] {1, 2, 3};
    assertThatThrownBy(
            () -> memory().upsert(document("short", MemoryKind.INCIDENT, tooShort, "api")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimensions");
    assertThatThrownBy(() -> memory().search(new MemoryQuery(tooShort, 1, Set.of(), Map.of())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(memory().count()).isZero();
  }

  @Test
  void concurrent_upserts_are_all_kept() throws Exception {
    IncidentMemory shared = memory();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        int first = thread * 50;
        done.add(
            threads.submit(
                () -> {
                  for (int i = first; i < first + 50; i++) {
                    shared.upsert(document("c" + i, MemoryKind.INCIDENT, vector(i), "api"));
                    // Each thread also writes a shared id: the last write wins, no duplicate.
                    shared.upsert(document("shared", MemoryKind.INCIDENT, vector(i), "api"));
                  }
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(memory().count()).isEqualTo(201);
    assertThat(memory().search(new MemoryQuery(vector(123), 1, Set.of(), Map.of())).get(0).id())
        .isIn("c123", "shared");
  }

  private static MemoryDocument withOutcome(
      String id, float[] vector, String service, String outcome) {
    return new MemoryDocument(
        id, MemoryKind.RESOLUTION, id, vector, Map.of("service", service, "outcome", outcome));
  }

  private static float[] scale(float[] vector, float factor) {
    float[] scaled = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      scaled[i] = vector[i] * factor;
    }
    return scaled;
  }
}
