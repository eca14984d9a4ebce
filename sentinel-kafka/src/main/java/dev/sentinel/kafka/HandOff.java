package dev.sentinel.kafka;

import dev.sentinel.ingest.BatchTooLargeException;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a partition's records into batches and hands them to the sink, in offset order, moving
 * the partition's commit position only past records whose points the sink has taken (or that went
 * to the dead-letter topic). Confined to the consumer's thread.
 *
 * <p>Records are decoded in chunks of about {@code maxHandOffPoints} points, so that one-point
 * records still reach the bus in batches. A refused chunk stays pending and is offered again as a
 * whole; a chunk the sink can never take ({@link BatchTooLargeException}) is split in halves.
 */
final class HandOff {

  private static final Logger log = LoggerFactory.getLogger(HandOff.class);

  private final RecordDecoder decoder;
  private final PointSink sink;
  private final DeadLetters deadLetters;
  private final KafkaIngestMetrics metrics;
  private final SeriesRegistry registry;
  private final int maxHandOffPoints;
  private SeriesPartitioner partitioner;

  HandOff(
      RecordDecoder decoder,
      PointSink sink,
      DeadLetters deadLetters,
      KafkaIngestMetrics metrics,
      SeriesRegistry registry,
      int maxHandOffPoints) {
    this.decoder = decoder;
    this.sink = sink;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.registry = registry;
    this.maxHandOffPoints = maxHandOffPoints;
  }

  /** The topic's partition count, which decides which series a partition may carry. */
  void partitionCount(int partitions) {
    if (partitioner == null || partitioner.partitions() != partitions) {
      partitioner = new SeriesPartitioner(registry, partitions);
    }
  }

  /**
   * Hands on everything the partition holds, as far as the sink takes it.
   *
   * @return true when all of it was handed on; false when the sink refused and points are pending
   */
  boolean drain(PartitionState state) {
    while (true) {
      while (!state.pending.isEmpty()) {
        PointBatch head = state.pending.peekFirst();
        boolean accepted;
        try {
          accepted = sink.offer(state.partition, head);
        } catch (BatchTooLargeException e) {
          if (head.size() == 1) {
            throw e;
          }
          state.pending.removeFirst();
          PointBatch[] halves = halves(head);
          state.pending.addFirst(halves[1]);
          state.pending.addFirst(halves[0]);
          continue;
        }
        if (!accepted) {
          return false;
        }
        state.pending.removeFirst();
        metrics.points.increment(head.size());
      }
      if (state.pendingNext >= 0) {
        state.handed = state.pendingNext;
        state.pendingNext = -1;
      }
      if (state.backlog.isEmpty()) {
        return true;
      }
      decodeChunk(state);
    }
  }

  private void decodeChunk(PartitionState state) {
    PointBatch chunk = null;
    long next = -1;
    while (!state.backlog.isEmpty() && (chunk == null || chunk.size() < maxHandOffPoints)) {
      ConsumerRecord<byte[], byte[]> record = state.backlog.pollFirst();
      next = record.offset() + 1;
      metrics.records.increment();
      PointBatch points = decodeOrDeadLetter(record);
      if (points == null || points.isEmpty()) {
        continue;
      }
      if (chunk == null) {
        chunk = points; // the decoder handed it over: no copy for the first record of a chunk
      } else {
        for (int i = 0, size = points.size(); i < size; i++) {
          chunk.add(points.seriesId(i), points.timestamp(i), points.value(i));
        }
      }
    }
    if (chunk != null) {
      state.pending.addLast(chunk);
    }
    state.pendingNext = next;
  }

  /** The record's points, or null when it went to the dead-letter topic. */
  private PointBatch decodeOrDeadLetter(ConsumerRecord<byte[], byte[]> record) {
    String reason;
    if (record.value() == null) {
      reason = "the record has no value";
    } else {
      try {
        PointBatch points = decoder.decode(record.value());
        reason = misrouted(points, record.partition());
        if (reason == null) {
          return points;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reason = "decoding was interrupted";
      } catch (Exception e) {
        reason = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
      }
    }
    log.warn(
        "dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
    deadLetters.send(record, reason);
    metrics.deadLettered.increment();
    return null;
  }

  /**
   * Null when every point's series is keyed to the record's partition; else why not. A point on the
   * wrong partition would give its series a second detector in another instance.
   */
  private String misrouted(PointBatch points, int partition) {
    if (partitioner == null) {
      return null;
    }
    for (int i = 0, size = points.size(); i < size; i++) {
      int owner = partitioner.partitionOf(points.seriesId(i));
      if (owner != partition) {
        return "point "
            + i
            + " of series "
            + registry.text(points.seriesId(i))
            + " belongs to partition "
            + owner
            + " of "
            + partitioner.partitions()
            + ", but the record came on partition "
            + partition
            + "; key records by the series key text";
      }
    }
    return null;
  }

  private static PointBatch[] halves(PointBatch batch) {
    int middle = batch.size() / 2;
    PointBatch first = new PointBatch(middle);
    PointBatch second = new PointBatch(batch.size() - middle);
    for (int i = 0; i < batch.size(); i++) {
      (i < middle ? first : second).add(batch.seriesId(i), batch.timestamp(i), batch.value(i));
    }
    return new PointBatch[] {first, second};
  }
}
