package dev.sentinel.verify;

/** What an action did to an incident, judged from its series after the action. */
public enum Recovery {
  /** The series are back inside their expected ranges. */
  RECOVERED,
  /** The series are still outside their ranges, about as far as before. */
  UNCHANGED,
  /** The series moved further out, or more series went out: the action hurt. */
  WORSE
}
