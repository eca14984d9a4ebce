package dev.sentinel.llm;

import dev.sentinel.incident.Incident;
import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.IncidentMemory;
import dev.sentinel.memory.MemoryHit;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.memory.MemoryQuery;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Similar incidents and runbook sections from the semantic memory: the agent's text is embedded and
 * searched like any other query. Read-only. A memory that fails answers nothing rather than failing
 * the analysis (the tool reports it to the model).
 */
public final class MemoryKnowledge implements SimilarIncidents, Runbooks {

  private final IncidentMemory memory;
  private final Embedder embedder;

  public MemoryKnowledge(IncidentMemory memory, Embedder embedder) {
    this.memory = memory;
    this.embedder = embedder;
  }

  /** The default knowledge with this memory's incidents and runbooks in it. */
  public Knowledge knowledge() {
    return new Knowledge(this, this, RecentChanges.fromTargetState());
  }

  @Override
  public List<String> similar(Incident incident, int limit) {
    return search(describe(incident), limit, Set.of(MemoryKind.INCIDENT, MemoryKind.RESOLUTION));
  }

  @Override
  public List<String> sections(String query, int limit) {
    return search(query, limit, Set.of(MemoryKind.RUNBOOK));
  }

  /** What the incident is about, in the words its anomalies and labels use. */
  static String describe(Incident incident) {
    Set<String> metrics = new TreeSet<>();
    incident
        .anomalies()
        .forEach(
            anomaly ->
                metrics.add(
                    anomaly.series().name()
                        + " "
                        + anomaly.direction().name().toLowerCase(Locale.ROOT)));
    return "incident in " + incident.groupLabels() + ": " + String.join(", ", metrics);
  }

  private List<String> search(String text, int limit, Set<MemoryKind> kinds) {
    List<MemoryHit> hits =
        memory.search(new MemoryQuery(embedder.embed(text), limit, kinds, Map.of()));
    return hits.stream()
        .map(
            hit ->
                String.format(
                    Locale.ROOT,
                    "%s (similarity %.2f): %s %s",
                    hit.kind().label(),
                    hit.similarity(),
                    hit.text(),
                    hit.payload()))
        .toList();
  }
}
