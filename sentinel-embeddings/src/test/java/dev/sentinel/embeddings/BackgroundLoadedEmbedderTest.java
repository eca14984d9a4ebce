package dev.sentinel.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.memory.EmbeddingException;
import dev.sentinel.memory.WordEmbedder;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class BackgroundLoadedEmbedderTest {

  @Test
  void the_first_call_waits_for_the_model_and_then_embeds_with_it() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    BackgroundLoadedEmbedder embedder =
        new BackgroundLoadedEmbedder(
            () -> {
              try {
                loading.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new WordEmbedder();
            },
            384,
            "words");
    assertThat(embedder.dimensions()).isEqualTo(384);
    assertThat(embedder.model()).isEqualTo("words");
    loading.countDown();
    assertThat(embedder.embed("checkout errors"))
        .containsExactly(new WordEmbedder().embed("checkout errors"));
  }

  @Test
  void a_failed_load_fails_every_call_with_its_reason() {
    BackgroundLoadedEmbedder embedder =
        new BackgroundLoadedEmbedder(
            () -> {
              throw new IllegalStateException("no model file");
            },
            384,
            "broken");
    assertThatThrownBy(() -> embedder.embed("x"))
        .isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("broken")
        .hasRootCauseMessage("no model file");
    assertThatThrownBy(() -> embedder.embed("y")).isInstanceOf(EmbeddingException.class);
  }
}
