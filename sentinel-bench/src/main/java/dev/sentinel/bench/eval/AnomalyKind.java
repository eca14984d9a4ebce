package dev.sentinel.bench.eval;

/** What was injected into a generated series; {@link #NONE} marks a normal series. */
public enum AnomalyKind {
  SPIKE,
  DIP,
  LEVEL_SHIFT,
  TREND_CHANGE,
  VARIANCE_CHANGE,
  BROKEN_SEASONALITY,
  NONE
}
