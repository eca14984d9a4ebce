package dev.sentinel.analyse;

import dev.sentinel.memory.MemoryHit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A resolved incident that reads like the one analysed, and what was done about it: what the
 * analysis cites, and what the incident API lists as similar, so the two never disagree.
 *
 * @param similarity the cosine similarity of the two incidents' descriptions
 * @param cause the root cause it was resolved under
 * @param operation the action taken
 * @param outcome {@code recovered}, {@code unchanged} or {@code worse}
 */
public record Precedent(
    String incidentId, double similarity, String cause, String operation, String outcome) {

  public Precedent {
    Objects.requireNonNull(incidentId, "incidentId");
  }

  /**
   * One precedent per earlier incident from resolution hits, most similar first: hits without an
   * incident, of the incident itself or below {@code minimum} are left out, and a recovered step
   * outranks the failed steps of the same incident.
   */
  public static List<Precedent> of(
      List<MemoryHit> resolutions, String incidentId, double minimum, int limit) {
    Map<String, Precedent> found = new LinkedHashMap<>();
    for (MemoryHit hit : resolutions) {
      String id = hit.payload().get("incidentId");
      if (id == null || id.equals(incidentId) || hit.similarity() < minimum) {
        continue;
      }
      Precedent kept = found.get(id);
      if (kept == null || (!kept.recovered() && "recovered".equals(hit.payload().get("outcome")))) {
        found.put(
            id,
            new Precedent(
                id,
                hit.similarity(),
                hit.payload().get("cause"),
                hit.payload().get("operation"),
                hit.payload().get("outcome")));
      }
    }
    return found.values().stream().limit(limit).toList();
  }

  public boolean recovered() {
    return "recovered".equals(outcome);
  }
}
