package dev.sentinel.detect;

/** Which way a value left its expected range. */
public enum Direction {
  UP,
  DOWN
}
