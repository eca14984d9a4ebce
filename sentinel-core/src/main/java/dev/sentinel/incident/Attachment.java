package dev.sentinel.incident;

/** Where an anomaly went: into a new incident, an open one, or a recently resolved one reopened. */
public record Attachment(Incident incident, Outcome outcome, boolean newSeries) {

  public enum Outcome {
    OPENED,
    ATTACHED,
    REOPENED
  }
}
