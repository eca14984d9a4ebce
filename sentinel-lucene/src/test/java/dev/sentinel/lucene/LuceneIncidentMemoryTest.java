package dev.sentinel.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sentinel.memory.IncidentMemory;
import dev.sentinel.memory.IncidentMemoryContract;
import dev.sentinel.memory.MemoryDocument;
import dev.sentinel.memory.MemoryHit;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.memory.MemoryQuery;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneIncidentMemoryTest extends IncidentMemoryContract {

  @TempDir Path folder;

  @Override
  protected IncidentMemory open() {
    return LuceneIncidentMemory.open(folder.resolve("memory"), DIMENSIONS);
  }

  @Test
  void what_was_stored_survives_a_restart_and_the_index_keeps_growing_after_it() {
    Path index = folder.resolve("restart");
    float[] leak = vector(11);
    try (LuceneIncidentMemory memory = LuceneIncidentMemory.open(index, DIMENSIONS)) {
      memory.upsert(
          new MemoryDocument(
              "inc-1",
              MemoryKind.RESOLUTION,
              "checkout memory leak fixed by restart",
              leak,
              Map.of("service", "checkout", "operation", "restart", "outcome", "recovered")));
      memory.upsert(document("inc-2", MemoryKind.INCIDENT, vector(12), "db"));
      memory.upsert(document("gone", MemoryKind.INCIDENT, vector(13), "db"));
      memory.delete("gone");
    }

    try (LuceneIncidentMemory memory = LuceneIncidentMemory.open(index, DIMENSIONS)) {
      assertThat(memory.count()).isEqualTo(2);
      List<MemoryHit> hits =
          memory.search(MemoryQuery.of(near(leak, 0.1, 5), 1, MemoryKind.RESOLUTION));
      assertThat(hits).hasSize(1);
      assertThat(hits.get(0).id()).isEqualTo("inc-1");
      assertThat(hits.get(0).text()).isEqualTo("checkout memory leak fixed by restart");
      assertThat(hits.get(0).payload())
          .containsEntry("operation", "restart")
          .containsEntry("outcome", "recovered");
      assertThat(hits.get(0).similarity()).isGreaterThan(0.9);

      memory.upsert(document("inc-3", MemoryKind.INCIDENT, vector(14), "api"));
      assertThat(memory.search(new MemoryQuery(vector(14), 1, Set.of(), Map.of())).get(0).id())
          .isEqualTo("inc-3");
    }

    try (LuceneIncidentMemory memory = LuceneIncidentMemory.open(index, DIMENSIONS)) {
      assertThat(memory.count()).isEqualTo(3);
      assertThat(memory.search(new MemoryQuery(vector(13), 3, Set.of(), Map.of())))
          .extracting(MemoryHit::id)
          .doesNotContain("gone");
      assertThat(
              memory.search(new MemoryQuery(vector(12), 1, Set.of(), Map.of())).get(0).similarity())
          .isCloseTo(1.0, within(1e-3));
    }
  }

  @Test
  void a_second_process_cannot_open_an_index_in_use() {
    Path index = folder.resolve("locked");
    try (LuceneIncidentMemory memory = LuceneIncidentMemory.open(index, DIMENSIONS)) {
      assertThatThrownBy(() -> LuceneIncidentMemory.open(index, DIMENSIONS))
          .hasMessageContaining(index.toString());
    }
  }

  @Test
  void more_than_lucenes_1024_dimensions_are_refused_at_start() {
    assertThatThrownBy(() -> LuceneIncidentMemory.open(folder.resolve("big"), 1536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1536");
  }

  @Test
  void an_index_written_with_one_vector_field_for_all_kinds_is_still_searched_by_kind()
      throws Exception {
    Path index = folder.resolve("legacy");
    // The layout before each kind had its own graph: one "vector" field, the kind a term.
    try (FSDirectory directory = FSDirectory.open(index);
        IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
      for (int i = 0; i < 6; i++) {
        MemoryKind kind = i % 2 == 0 ? MemoryKind.INCIDENT : MemoryKind.RESOLUTION;
        Document old = new Document();
        old.add(new StringField("id", "old-" + i, Field.Store.YES));
        old.add(new StringField("kind", kind.label(), Field.Store.YES));
        old.add(new StoredField("text", "written by an earlier version"));
        old.add(new KnnFloatVectorField("vector", vector(30 + i), VectorSimilarityFunction.COSINE));
        old.add(new StringField("p.service", "svc-" + i, Field.Store.YES));
        writer.addDocument(old);
      }
    }

    try (LuceneIncidentMemory memory = LuceneIncidentMemory.open(index, DIMENSIONS)) {
      memory.upsert(document("new-1", MemoryKind.RESOLUTION, vector(40), "api"));

      List<MemoryHit> old = memory.search(MemoryQuery.of(vector(31), 1, MemoryKind.RESOLUTION));
      assertThat(old).extracting(MemoryHit::id).containsExactly("old-1");
      assertThat(old.get(0).payload()).containsEntry("service", "svc-1");
      // The kind is still a filter there: the nearest incident is not the resolution old-1.
      assertThat(memory.search(MemoryQuery.of(vector(31), 1, MemoryKind.INCIDENT)))
          .extracting(MemoryHit::id)
          .doesNotContain("old-1");
      // Old and new documents compete in one ranking.
      assertThat(memory.search(MemoryQuery.of(vector(40), 2, MemoryKind.RESOLUTION)).get(0).id())
          .isEqualTo("new-1");
      // Rewriting an old document moves it to its kind's own graph; it is found once, not twice.
      memory.upsert(document("old-3", MemoryKind.RESOLUTION, vector(33), "db"));
      assertThat(memory.search(new MemoryQuery(vector(33), 7, Set.of(), Map.of())))
          .extracting(MemoryHit::id)
          .containsOnlyOnce("old-3");
      assertThat(memory.count()).isEqualTo(7);
    }
  }
}
