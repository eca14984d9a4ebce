package dev.sentinel.kafka;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends records that cannot be ingested to the dead-letter topic: the original key, value,
 * timestamp and headers, plus headers that say why and where from. Header values are UTF-8 text.
 *
 * <p>Each send waits for the broker's acknowledgement, so a record's offset is committed only after
 * its dead letter is stored (poison is rare; the wait costs nothing in the normal case).
 */
final class DeadLetters implements AutoCloseable {

  static final String REASON = "sentinel.dlq.reason";
  static final String SOURCE_TOPIC = "sentinel.dlq.topic";
  static final String SOURCE_PARTITION = "sentinel.dlq.partition";
  static final String SOURCE_OFFSET = "sentinel.dlq.offset";
  static final String GROUP = "sentinel.dlq.group";

  /** Reasons are cut to this many characters: a header is for a human, not a full report. */
  private static final int MAX_REASON = 2000;

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String group;

  DeadLetters(Producer<byte[], byte[]> producer, String topic, String group) {
    this.producer = producer;
    this.topic = topic;
    this.group = group;
  }

  /**
   * Stores the record in the dead-letter topic and waits for the acknowledgement.
   *
   * @throws KafkaIngestException when the broker does not acknowledge it; the source offset must
   *     then not be committed
   */
  void send(ConsumerRecord<byte[], byte[]> record, String reason) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      headers.add(header);
    }
    String shortReason = reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON);
    headers.add(REASON, utf8(shortReason));
    headers.add(SOURCE_TOPIC, utf8(record.topic()));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(record.partition())));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(record.offset())));
    headers.add(GROUP, utf8(group));
    ProducerRecord<byte[], byte[]> letter =
        new ProducerRecord<>(
            topic,
            null,
            record.timestamp() >= 0 ? record.timestamp() : null, // -1: the record had none
            record.key(),
            record.value(),
            headers);
    try {
      producer.send(letter).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaIngestException(failure(record), e);
    } catch (ExecutionException e) {
      throw new KafkaIngestException(failure(record), e.getCause());
    }
  }

  private String failure(ConsumerRecord<?, ?> record) {
    return "could not dead-letter "
        + record.topic()
        + "-"
        + record.partition()
        + "@"
        + record.offset()
        + " to topic '"
        + topic
        + "'";
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
  }
}
