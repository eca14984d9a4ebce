package dev.sentinel.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.memory.IncidentMemory;
import dev.sentinel.memory.IncidentMemoryContract;
import dev.sentinel.memory.MemoryException;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.memory.MemoryQuery;
import io.qdrant.client.grpc.Collections.Distance;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract against {@link FakeQdrant}: Qdrant's client and wire protocol, not its engine. */
class QdrantIncidentMemoryTest extends IncidentMemoryContract {

  private FakeQdrant qdrant;

  @BeforeEach
  void startQdrant() throws IOException {
    qdrant = new FakeQdrant();
  }

  @AfterEach
  void stopQdrant() {
    qdrant.close();
  }

  private QdrantSettings settings(String collection, int dimensions) {
    return new QdrantSettings(
        "127.0.0.1", qdrant.port(), false, "", collection, dimensions, Duration.ofSeconds(5));
  }

  @Override
  protected IncidentMemory open() {
    return QdrantIncidentMemory.open(settings("sentinel", DIMENSIONS));
  }

  @Test
  void the_collection_is_created_at_start_with_the_vector_size_and_cosine_distance() {
    memory();
    FakeQdrant.Collection collection = qdrant.collections.get("sentinel");
    assertThat(collection).isNotNull();
    assertThat(collection.size()).isEqualTo(384);
    assertThat(collection.distance()).isEqualTo(Distance.Cosine);
  }

  @Test
  void a_second_instance_uses_the_existing_collection_and_sees_its_points() {
    memory().upsert(document("inc-1", MemoryKind.INCIDENT, vector(1), "api"));
    try (QdrantIncidentMemory second =
        QdrantIncidentMemory.open(settings("sentinel", DIMENSIONS))) {
      assertThat(second.count()).isEqualTo(1);
      assertThat(second.search(MemoryQuery.of(vector(1), 1, MemoryKind.INCIDENT)).get(0).id())
          .isEqualTo("inc-1");
    }
  }

  @Test
  void a_collection_of_another_vector_size_is_refused_by_qdrant() {
    memory();
    try (QdrantIncidentMemory other = QdrantIncidentMemory.open(settings("sentinel", 3))) {
      assertThatThrownBy(
              () -> other.upsert(document("x", MemoryKind.INCIDENT, new float[] {1, 2, 3}, "a")))
          .isInstanceOf(MemoryException.class)
          .hasMessageContaining("Vector dimension error");
    }
  }

  @Test
  void an_unreachable_qdrant_fails_at_start_naming_where() {
    int port = qdrant.port();
    qdrant.close();
    assertThatThrownBy(
            () ->
                QdrantIncidentMemory.open(
                    new QdrantSettings(
                        "127.0.0.1",
                        port,
                        false,
                        null,
                        "sentinel",
                        DIMENSIONS,
                        Duration.ofSeconds(2))))
        .isInstanceOf(MemoryException.class)
        .hasMessageContaining("127.0.0.1:" + port);
  }
}
