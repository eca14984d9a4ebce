package dev.sentinel.llm;

import dev.sentinel.incident.Incident;
import java.util.List;

/**
 * Past incidents like this one, with how they were resolved: the agent's memory. The semantic
 * memory plugs in here; until then there is none. Read-only; called on a workflow thread.
 */
public interface SimilarIncidents {

  /** At most {@code limit} short descriptions, most similar first. */
  List<String> similar(Incident incident, int limit);

  static SimilarIncidents none() {
    return (incident, limit) -> List.of();
  }
}
