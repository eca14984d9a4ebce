package dev.sentinel.kafka;

import dev.sentinel.ingest.PointBatch;

/**
 * Turns the value of one Kafka record into points, validating every field on the way. Sentinel's
 * records carry the JSON of the HTTP API ({@code {"points": [...]}} or a bare array of points); the
 * composition root adapts the HTTP decoder to this interface, so both edges accept exactly the same
 * documents.
 *
 * <p>Threading: called from the consumer's single thread only. Idempotency: decoding the same bytes
 * twice yields the same series and points (a record is decoded again after a crash or a rebalance).
 */
@FunctionalInterface
public interface RecordDecoder {

  /**
   * Decodes a whole record, all or nothing.
   *
   * @return the record's points (may be empty); the caller owns the batch afterwards
   * @throws Exception when the record is invalid or undecodable: the record then goes to the
   *     dead-letter topic with the exception's message as the reason, so the message should name
   *     what is wrong and where (e.g. {@code points[3].value: value must be a finite number})
   */
  PointBatch decode(byte[] value) throws Exception;
}
