package dev.sentinel.kafka;

import dev.sentinel.ingest.PointBatch;
import io.micrometer.core.instrument.Gauge;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the consumer holds for one assigned partition. Everything here is bounded by one poll: a
 * partition with a backlog or pending points is paused, so no more records arrive for it until they
 * are handed on. Confined to the consumer's thread, except {@link #lag}, which the metrics registry
 * reads.
 */
final class PartitionState {

  final int partition;

  /** Records returned by a poll and not yet decoded, oldest first. */
  final ArrayDeque<ConsumerRecord<byte[], byte[]>> backlog = new ArrayDeque<>();

  /** Decoded points the sink has not taken yet, oldest first (a refused batch, or its halves). */
  final ArrayDeque<PointBatch> pending = new ArrayDeque<>();

  /** The offset to commit once {@link #pending} is handed on; -1 when nothing is pending. */
  long pendingNext = -1;

  /** The next offset whose points are not yet handed on: what a commit stores. -1 = not known. */
  long handed = -1;

  long committed = -1;
  boolean paused;
  final AtomicLong lag = new AtomicLong();
  Gauge lagGauge;

  PartitionState(int partition) {
    this.partition = partition;
  }

  boolean idle() {
    return backlog.isEmpty() && pending.isEmpty();
  }
}
