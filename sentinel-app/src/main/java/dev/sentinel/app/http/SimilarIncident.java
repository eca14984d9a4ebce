package dev.sentinel.app.http;

import dev.sentinel.analyse.Precedent;
import java.util.Objects;

/**
 * A resolved incident that reads like another one, as the incident API shows it.
 *
 * @param similarity the cosine similarity of the two incidents' descriptions
 * @param cause the root cause it was resolved under
 * @param operation the action taken
 * @param outcome {@code recovered}, {@code unchanged} or {@code worse}
 */
public record SimilarIncident(
    String incidentId, double similarity, String cause, String operation, String outcome) {

  public SimilarIncident {
    Objects.requireNonNull(incidentId, "incidentId");
    similarity = Math.round(similarity * 1000.0) / 1000.0;
  }

  static SimilarIncident of(Precedent precedent) {
    return new SimilarIncident(
        precedent.incidentId(),
        precedent.similarity(),
        precedent.cause(),
        precedent.operation(),
        precedent.outcome());
  }
}
