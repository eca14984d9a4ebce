package dev.sentinel.simulator;

import dev.sentinel.ingest.SeriesKey;

/**
 * Receives the samples a {@link Fleet} emits. Called on the thread that calls {@link Fleet#emit},
 * once per metric of every service, while the fleet holds its lock: hand the point on quickly and
 * do not call back into the fleet. The key is the same instance every time for a given series, so a
 * sink may cache per-key work (interning) by identity.
 */
@FunctionalInterface
public interface MetricSink {
  void accept(SeriesKey series, long timestampMillis, double value);
}
