package dev.sentinel.kafka;

/**
 * Warms the detector state of the series of a partition this instance has just been given, from the
 * telemetry store, so that detectors do not start cold (and flag the normal as new) after a
 * rebalance. Implemented by the composition root, typically: for every series of the store that
 * {@link OwnedPartition#owns} selects, read its recent points and feed them to its detector with
 * anomalies discarded.
 *
 * <p>Threading: called on the consumer's thread from the rebalance callback, before any record of
 * the partition is handed on; it blocks consumption of every partition meanwhile, so it must finish
 * well within {@code max.poll.interval.ms} (5 minutes by default). Idempotency: it may be called
 * again for the same partition (after the partition moves away and back); warming twice must not
 * break detector state. An exception is logged and counted, and detection starts cold.
 */
@FunctionalInterface
public interface DetectorWarmUp {

  /** Warms nothing: detectors start cold. */
  DetectorWarmUp NONE = partition -> {};

  void warm(OwnedPartition partition);
}
