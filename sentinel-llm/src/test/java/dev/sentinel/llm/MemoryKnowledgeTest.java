package dev.sentinel.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.InMemoryIncidentMemory;
import dev.sentinel.memory.MemoryDocument;
import dev.sentinel.memory.MemoryKind;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryKnowledgeTest {

  /** Words hashed into a small vector: texts sharing words come out similar. */
  private static final class WordEmbedder implements Embedder {
    @Override
    public float[] embed(String text) {
      float[] vector = new float[32];
      vector[0] = 0.01f;
      for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z_]+")) {
        if (!word.isEmpty()) {
          vector[Math.floorMod(word.hashCode(), 31) + 1] += 1;
        }
      }
      return vector;
    }

    @Override
    public int dimensions() {
      return 32;
    }

    @Override
    public String model() {
      return "words";
    }
  }

  private final WordEmbedder embedder = new WordEmbedder();
  private final InMemoryIncidentMemory memory = new InMemoryIncidentMemory(32);

  private void remember(String id, MemoryKind kind, String text, Map<String, String> payload) {
    memory.upsert(new MemoryDocument(id, kind, text, embedder.embed(text), payload));
  }

  @Test
  void the_agent_finds_similar_incidents_and_runbooks_through_its_tools() {
    remember(
        "inc-7",
        MemoryKind.RESOLUTION,
        "incident in {service=api}: memory_bytes up, resolved by restart",
        Map.of("operation", "restart"));
    remember("inc-9", MemoryKind.INCIDENT, "incident in {service=db}: disk_free down", Map.of());
    remember(
        "rb-1", MemoryKind.RUNBOOK, "api memory leak: restart api, then page the owners", Map.of());
    Toolbox toolbox =
        new Toolbox(
            java.util.Optional.empty(),
            Fixtures.history(),
            new MemoryKnowledge(memory, embedder).knowledge());

    String similar =
        toolbox.execute(
            Fixtures.leak("inc-1"),
            ToolExecutionRequest.builder()
                .id("1")
                .name("similar_incidents")
                .arguments("{}")
                .build());
    String runbook =
        toolbox.execute(
            Fixtures.leak("inc-1"),
            ToolExecutionRequest.builder()
                .id("2")
                .name("runbook")
                .arguments(Fixtures.json("query", "api memory leak"))
                .build());

    assertThat(similar.lines().findFirst().orElseThrow())
        .startsWith("resolution (similarity")
        .contains("resolved by restart")
        .contains("operation=restart");
    assertThat(runbook).startsWith("runbook (similarity").contains("restart api");
    assertThat(runbook).doesNotContain("disk_free");
  }
}
