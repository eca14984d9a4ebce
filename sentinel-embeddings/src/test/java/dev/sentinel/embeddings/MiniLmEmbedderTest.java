package dev.sentinel.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.Vectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {

  private static Embedder embedder;

  @BeforeAll
  static void load() {
    embedder = new MiniLmEmbedder();
  }

  @Test
  void vectors_have_384_dimensions_and_repeat_for_the_same_text() {
    float[] first = embedder.embed("checkout memory_used_bytes rising steadily");
    float[] again = embedder.embed("checkout memory_used_bytes rising steadily");
    assertThat(first).hasSize(384);
    assertThat(embedder.dimensions()).isEqualTo(384);
    assertThat(again).containsExactly(first);
  }

  @Test
  void texts_about_the_same_fault_are_closer_than_texts_about_another() {
    float[] leak = embedder.embed("service checkout: memory usage keeps rising, heap grows");
    float[] sameLeak = embedder.embed("checkout memory leak: memory used climbing steadily");
    float[] deploy = embedder.embed("service db: error rate burst right after a new deploy");

    double same = Vectors.cosine(leak, sameLeak);
    double other = Vectors.cosine(leak, deploy);
    assertThat(same).isGreaterThan(other + 0.1);
    assertThat(same).isGreaterThan(0.5);
  }
}
