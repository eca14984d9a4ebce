package dev.sentinel.llm;

import java.util.Objects;

/** What the agent may look up beyond telemetry; each part has an empty default. */
public record Knowledge(
    SimilarIncidents similarIncidents, Runbooks runbooks, RecentChanges recentChanges) {

  public Knowledge {
    Objects.requireNonNull(similarIncidents, "similarIncidents");
    Objects.requireNonNull(runbooks, "runbooks");
    Objects.requireNonNull(recentChanges, "recentChanges");
  }

  public static Knowledge defaults() {
    return new Knowledge(SimilarIncidents.none(), Runbooks.none(), RecentChanges.fromTargetState());
  }
}
