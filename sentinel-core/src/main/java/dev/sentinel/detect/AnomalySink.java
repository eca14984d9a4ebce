package dev.sentinel.detect;

/**
 * Receives anomalies from a detection engine. Called on the engine's own thread, once per anomalous
 * point; implementations must be quick and must not block (hand the anomaly on).
 */
@FunctionalInterface
public interface AnomalySink {
  void accept(Anomaly anomaly);
}
