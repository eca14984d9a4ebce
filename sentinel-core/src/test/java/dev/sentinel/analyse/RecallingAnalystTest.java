package dev.sentinel.analyse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.incident.InMemoryIncidentStore;
import dev.sentinel.incident.Incident;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.memory.InMemoryIncidentMemory;
import dev.sentinel.memory.IncidentMemory;
import dev.sentinel.memory.MemoryDocument;
import dev.sentinel.memory.MemoryHit;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.memory.MemoryQuery;
import dev.sentinel.memory.RunbookSection;
import dev.sentinel.memory.WordEmbedder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecallingAnalystTest {

  private final WordEmbedder embedder = new WordEmbedder();
  private final InMemoryIncidentMemory memory = new InMemoryIncidentMemory(384);
  private final InMemoryIncidentStore store = new InMemoryIncidentStore();

  /** Rules that slightly prefer saturation over a leak for the same evidence. */
  private final Analyst rules =
      file ->
          new Analysis(
              "Most likely saturation.",
              List.of(
                  new Hypothesis("saturation", "checkout", 0.6, List.of("cpu up")),
                  new Hypothesis("memory-leak", "checkout", 0.5, List.of("memory up"))),
              "memory_used_bytes",
              "rules");

  private CaseFile caseFile(String id) {
    Anomaly anomaly =
        new Anomaly(
            SeriesKey.of("memory_used_bytes", Map.of("service", "checkout")),
            1_000,
            900,
            100,
            200,
            6,
            0.9,
            Direction.UP,
            Set.of(DetectorKind.ZSCORE));
    Incident incident =
        store
            .attach("{service=checkout}", Map.of("service", "checkout"), anomaly, 0, 10, () -> id)
            .incident();
    return new CaseFile(incident, List.of(anomaly), Map.of(), List.of());
  }

  private void remember(String incidentId, String cause, String operation, String outcome) {
    String description = "service checkout: memory used bytes above its expected range.";
    memory.upsert(
        new MemoryDocument(
            "resolution:" + incidentId + ":" + operation,
            MemoryKind.RESOLUTION,
            description,
            embedder.embed(description),
            Map.of(
                "incidentId",
                incidentId,
                "cause",
                cause,
                "operation",
                operation,
                "outcome",
                outcome)));
  }

  private RecallingAnalyst analyst(IncidentMemory memory) {
    return new RecallingAnalyst(
        rules, embedder, memory, new RecallingAnalyst.Settings(3, 0.5, 0.5));
  }

  @Test
  void a_cause_fixed_before_in_a_similar_incident_is_preferred_and_cited() {
    remember("inc-1", "memory-leak", "restart", "recovered");

    Analysis analysis = analyst(memory).analyse(caseFile("inc-2"));

    assertThat(analysis.likeliest().orElseThrow().cause()).isEqualTo("memory-leak");
    assertThat(analysis.likeliest().orElseThrow().evidence())
        .anyMatch(
            line ->
                line.startsWith(
                    "worked before: incident inc-1 (similarity 1.00): memory-leak, restart -> recovered"));
    assertThat(analysis.summary())
        .startsWith("Most likely saturation.")
        .contains(
            "Similar incidents before: incident inc-1 (similarity 1.00): memory-leak, restart -> recovered");
    assertThat(analysis.analyst()).isEqualTo("rules");
  }

  @Test
  void a_fix_that_failed_before_is_cited_but_not_preferred() {
    remember("inc-1", "memory-leak", "scale_up", "worse");

    Analysis analysis = analyst(memory).analyse(caseFile("inc-2"));

    assertThat(analysis.likeliest().orElseThrow().cause()).isEqualTo("saturation");
    assertThat(analysis.summary()).contains("memory-leak, scale_up -> worse");
  }

  @Test
  void the_incident_itself_is_never_its_own_precedent() {
    remember("inc-2", "memory-leak", "restart", "recovered");
    Analysis analysis = analyst(memory).analyse(caseFile("inc-2"));
    assertThat(analysis.summary()).isEqualTo("Most likely saturation.");
  }

  @Test
  void a_relevant_runbook_section_is_cited() {
    RunbookSection section =
        RunbookSection.split(
                "memory.md",
                "# Checkout memory\nservice checkout memory used bytes above expected range: restart")
            .getFirst();
    memory.upsert(section.document(embedder.embed(section.text())));

    Analysis analysis = analyst(memory).analyse(caseFile("inc-2"));

    assertThat(analysis.summary()).contains("Runbooks: 'Checkout memory' (memory.md, similarity");
    assertThat(analysis.likeliest().orElseThrow().evidence())
        .anyMatch(line -> line.startsWith("runbook: 'Checkout memory'"));
  }

  @Test
  void the_analysed_incident_is_remembered_with_its_summary() {
    analyst(memory).analyse(caseFile("inc-2"));
    List<MemoryHit> hits =
        memory.search(MemoryQuery.of(embedder.embed("checkout memory"), 1, MemoryKind.INCIDENT));
    assertThat(hits.getFirst().id()).isEqualTo("incident:inc-2");
    assertThat(hits.getFirst().text()).endsWith("Most likely saturation.");
  }

  @Test
  void a_broken_memory_leaves_the_analysis_as_it_was() {
    IncidentMemory broken =
        new InMemoryIncidentMemory(3); // vectors of 384 are refused: every call fails
    Analysis analysis = analyst(broken).analyse(caseFile("inc-2"));
    assertThat(analysis.summary()).isEqualTo("Most likely saturation.");
    assertThat(analysis.likeliest().orElseThrow().cause()).isEqualTo("saturation");
  }
}
