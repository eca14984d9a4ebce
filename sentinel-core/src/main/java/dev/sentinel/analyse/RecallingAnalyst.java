package dev.sentinel.analyse;

import dev.sentinel.incident.IncidentDescription;
import dev.sentinel.incident.SemanticDedup;
import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.IncidentMemory;
import dev.sentinel.memory.MemoryHit;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.memory.MemoryQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An analyst that remembers: it asks another analyst first, then looks up the resolved incidents
 * and runbook sections nearest to this incident's description, cites them in the summary and in the
 * evidence, and raises a hypothesis whose cause was fixed before in a similar incident (so the
 * planner, which prefers the operations that worked for a cause, repeats the fix). It also updates
 * the incident's remembered description with the analysis, so later incidents compare against it.
 *
 * <p>Thread-safe when its parts are. A failing embedder or memory leaves the other analyst's
 * analysis as it was.
 */
public final class RecallingAnalyst implements Analyst {

  private static final Logger log = LoggerFactory.getLogger(RecallingAnalyst.class);

  /** How much a cause that worked in a similar incident gains, times that incident's similarity. */
  private static final double PRECEDENT_BOOST = 0.25;

  /**
   * @param limit how many similar resolutions and runbook sections to cite, at most
   * @param minSimilarity below this cosine similarity, a resolution is not cited (nor preferred):
   *     with all-MiniLM-L6-v2, different faults of one service already score 0.6–0.7
   * @param runbookMinimum below this, a runbook section is not cited: prose runbooks score lower
   *     against terse incident descriptions than incidents do against each other
   */
  public record Settings(int limit, double minSimilarity, double runbookMinimum) {
    public Settings {
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be >= 1, was " + limit);
      }
    }
  }

  private final Analyst analyst;
  private final Embedder embedder;
  private final IncidentMemory memory;
  private final Settings settings;

  public RecallingAnalyst(
      Analyst analyst, Embedder embedder, IncidentMemory memory, Settings settings) {
    this.analyst = analyst;
    this.embedder = embedder;
    this.memory = memory;
    this.settings = settings;
  }

  @Override
  public Analysis analyse(CaseFile file) {
    Analysis analysis = analyst.analyse(file);
    try {
      return recall(file, analysis);
    } catch (RuntimeException e) {
      log.warn("incident {}: analysed without memory: {}", file.incident().id(), e.getMessage(), e);
      return analysis;
    }
  }

  private Analysis recall(CaseFile file, Analysis analysis) {
    String id = file.incident().id();
    String description = IncidentDescription.of(file.incident().groupLabels(), file.anomalies());
    float[] vector = embedder.embed(description);
    memory.upsert(
        SemanticDedup.document(file.incident(), description + " " + analysis.summary(), vector));
    List<MemoryHit> resolutions =
        memory.search(
            new MemoryQuery(vector, settings.limit() * 3, Set.of(MemoryKind.RESOLUTION), Map.of()));
    List<Precedent> precedents =
        Precedent.of(resolutions, id, settings.minSimilarity(), settings.limit());
    List<MemoryHit> runbooks =
        memory.search(MemoryQuery.of(vector, settings.limit(), MemoryKind.RUNBOOK)).stream()
            .filter(hit -> hit.similarity() >= settings.runbookMinimum())
            .toList();
    if (precedents.isEmpty() && runbooks.isEmpty()) {
      return analysis;
    }
    List<Hypothesis> hypotheses = new ArrayList<>(analysis.hypotheses());
    for (Precedent precedent : precedents) {
      if (precedent.recovered()) {
        hypotheses.replaceAll(hypothesis -> withPrecedent(hypothesis, precedent));
      }
    }
    hypotheses.sort(Comparator.comparingDouble(Hypothesis::confidence).reversed());
    if (!hypotheses.isEmpty() && !runbooks.isEmpty()) {
      Hypothesis top = hypotheses.getFirst();
      List<String> evidence = new ArrayList<>(top.evidence());
      runbooks.forEach(runbook -> evidence.add("runbook: " + cite(runbook)));
      hypotheses.set(0, new Hypothesis(top.cause(), top.service(), top.confidence(), evidence));
    }
    StringBuilder summary = new StringBuilder(analysis.summary());
    if (!precedents.isEmpty()) {
      summary.append(" Similar incidents before: ");
      summary.append(String.join("; ", precedents.stream().map(RecallingAnalyst::cite).toList()));
      summary.append('.');
    }
    if (!runbooks.isEmpty()) {
      summary.append(" Runbooks: ");
      summary.append(String.join("; ", runbooks.stream().map(RecallingAnalyst::cite).toList()));
      summary.append('.');
    }
    return new Analysis(
        summary.toString(), hypotheses, analysis.firstMover(), analysis.analyst(), precedents);
  }

  private static Hypothesis withPrecedent(Hypothesis hypothesis, Precedent precedent) {
    if (!hypothesis.cause().equals(precedent.cause())) {
      return hypothesis;
    }
    List<String> evidence = new ArrayList<>(hypothesis.evidence());
    evidence.add("worked before: " + cite(precedent));
    return new Hypothesis(
        hypothesis.cause(),
        hypothesis.service(),
        Math.min(1, hypothesis.confidence() + PRECEDENT_BOOST * precedent.similarity()),
        evidence);
  }

  private static String cite(MemoryHit runbook) {
    return String.format(
        Locale.ROOT,
        "'%s' (%s, similarity %.2f)",
        runbook.payload().get("title"),
        runbook.payload().get("file"),
        runbook.similarity());
  }

  private static String cite(Precedent precedent) {
    return String.format(
        Locale.ROOT,
        "incident %s (similarity %.2f): %s, %s -> %s",
        precedent.incidentId(),
        precedent.similarity(),
        precedent.cause(),
        precedent.operation(),
        precedent.outcome());
  }
}
