package dev.sentinel.incident;

/** What the correlator did with one alert (see {@link Correlator#accept(Alert, long)}). */
public enum AlertOutcome {
  /** A firing alert opened a new incident. */
  OPENED,
  /** A firing alert reopened its group's recently resolved incident. */
  REOPENED,
  /** A firing alert joined its group's unresolved incident. */
  ATTACHED,
  /** A re-send of an alert that already fires on an unresolved incident: nothing changed. */
  DUPLICATE,
  /** A resolved alert was noted on its incident, which stays as it is. */
  NOTED,
  /** A resolved alert was the last thing keeping its incident open: the incident resolved. */
  RESOLVED_INCIDENT,
  /** A resolved alert this instance never saw firing (or whose incident is gone): ignored. */
  UNMATCHED;

  /** The lower-case name used in the API and in metrics. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
