package dev.sentinel.app;

import dev.sentinel.analyse.Analyst;
import dev.sentinel.analyse.Precedent;
import dev.sentinel.analyse.RecallingAnalyst;
import dev.sentinel.app.config.MemoryConfig;
import dev.sentinel.app.observe.Health;
import dev.sentinel.embeddings.BackgroundLoadedEmbedder;
import dev.sentinel.embeddings.MiniLmEmbedder;
import dev.sentinel.embeddings.OpenAiCompatibleEmbedder;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentDescription;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.incident.SemanticDedup;
import dev.sentinel.learn.LessonBook;
import dev.sentinel.learn.RememberingLessonBook;
import dev.sentinel.llm.Knowledge;
import dev.sentinel.llm.MemoryKnowledge;
import dev.sentinel.lucene.LuceneIncidentMemory;
import dev.sentinel.memory.CachingEmbedder;
import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.IncidentMemory;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.memory.MemoryQuery;
import dev.sentinel.qdrant.QdrantIncidentMemory;
import dev.sentinel.qdrant.QdrantSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The semantic memory as the composition root wires it: the configured embedder behind its cache,
 * the configured vector store, and what the loop's stages get from them (deduplication, a recalling
 * analyst, a remembering lesson book, similar incidents for the API). Disabled, it hands every part
 * back unchanged.
 */
final class SemanticMemory implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SemanticMemory.class);

  private final MemoryConfig config;
  private final Embedder embedder;
  private final IncidentMemory memory;
  private final ExecutorService writes;

  private SemanticMemory(MemoryConfig config, Embedder embedder, IncidentMemory memory) {
    this.config = config;
    this.embedder = embedder;
    this.memory = memory;
    // Start-up work (the runbooks) runs here, so the app does not wait for the model to load.
    this.writes =
        memory == null
            ? null
            : Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("sentinel-memory").daemon(true).factory());
  }

  static SemanticMemory open(MemoryConfig config, Path dataDir) {
    if (!config.enabled()) {
      log.info("semantic memory: off (memory.enabled is false)");
      return new SemanticMemory(config, null, null);
    }
    Embedder embedder = new CachingEmbedder(embedder(config), config.cacheEntries());
    IncidentMemory memory =
        switch (config.kind()) {
          case "qdrant" ->
              QdrantIncidentMemory.open(
                  new QdrantSettings(
                      config.qdrant().host(),
                      config.qdrant().port(),
                      config.qdrant().tls(),
                      config.qdrant().apiKey(),
                      config.qdrant().collection(),
                      config.dimensions(),
                      Duration.ofMillis(config.qdrant().timeoutMillis())));
          default -> LuceneIncidentMemory.open(dataDir.resolve("memory"), config.dimensions());
        };
    log.info(
        "semantic memory: {} with {} ({} documents)",
        memory.description(),
        embedder.model(),
        memory.count());
    SemanticMemory semantic = new SemanticMemory(config, embedder, memory);
    if (!config.runbooks().isBlank()) {
      // On the memory's writer thread: embedding every section waits for the model to load.
      Path folder = Installation.resolve(config.runbooks());
      semantic.writes.execute(() -> Runbooks.index(folder, embedder, memory));
    }
    return semantic;
  }

  private static Embedder embedder(MemoryConfig config) {
    if (config.embedder().equals("openai")) {
      MemoryConfig.OpenAi api = config.openai();
      return new OpenAiCompatibleEmbedder(
          new OpenAiCompatibleEmbedder.Settings(
              api.baseUrl(),
              api.model(),
              api.apiKey(),
              api.dimensions(),
              Duration.ofMillis(api.timeoutMillis())));
    }
    // Loaded in the background: start-up does not wait for the model, the first embedding does.
    return new BackgroundLoadedEmbedder(
        MiniLmEmbedder::new, Embedder.MINILM_DIMENSIONS, "all-MiniLM-L6-v2-q (in process)");
  }

  /** Deduplication by meaning for the correlator; empty when off. */
  Optional<SemanticDedup> dedup(IncidentStore incidents) {
    return memory == null
        ? Optional.empty()
        : Optional.of(new SemanticDedup(config.dedup(), embedder, memory, incidents));
  }

  Analyst analyst(Analyst analyst) {
    return memory == null
        ? analyst
        : new RecallingAnalyst(
            analyst,
            embedder,
            memory,
            new RecallingAnalyst.Settings(
                config.similarLimit(), config.similarMinimum(), config.runbookMinimum()));
  }

  /** What the LLM agent's similar-incident and runbook tools answer from; empty when off. */
  Knowledge knowledge() {
    return memory == null
        ? Knowledge.defaults()
        : new MemoryKnowledge(memory, embedder).knowledge();
  }

  LessonBook lessons(LessonBook lessons, IncidentStore incidents) {
    return memory == null
        ? lessons
        : new RememberingLessonBook(lessons, incidents, embedder, memory);
  }

  /** The resolved incidents most like this one, one entry per incident, most similar first. */
  List<Precedent> similar(Incident incident) {
    if (memory == null) {
      return List.of();
    }
    try {
      float[] vector = embedder.embed(IncidentDescription.of(incident));
      return Precedent.of(
          memory.search(
              new MemoryQuery(
                  vector, config.similarLimit() * 4, Set.of(MemoryKind.RESOLUTION), Map.of())),
          incident.id(),
          config.similarMinimum(),
          config.similarLimit());
    } catch (RuntimeException e) {
      log.warn("incident {}: similar incidents unavailable: {}", incident.id(), e.getMessage());
      return List.of();
    }
  }

  Health health() {
    if (memory == null) {
      return Health.up(Map.of("enabled", false));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("memory", memory.description());
    details.put("embedder", embedder.model());
    try {
      details.put("documents", memory.count());
      return Health.up(details);
    } catch (RuntimeException e) {
      return new Health(
          Health.Status.DOWN, "the incident memory does not answer: " + e.getMessage(), details);
    }
  }

  @Override
  public void close() {
    if (memory != null) {
      writes.shutdown();
      try {
        writes.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      memory.close();
    }
  }
}
