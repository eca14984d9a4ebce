package dev.sentinel.detect;

/** What kind of change an anomaly is, as told from the recent values of its series. */
public enum AnomalyKind {
  /** A single point, or a few, out of the expected range: a spike or a dip. */
  POINT,
  /** The level stepped to a new one and stayed there. */
  SHIFT,
  /** The level keeps moving the same way, at a steady rate: a leak, a disk filling. */
  DRIFT,
  /** Each value is within range, but the sequence of values is one the series never showed. */
  CONTEXT
}
