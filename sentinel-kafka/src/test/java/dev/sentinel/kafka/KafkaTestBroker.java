package dev.sentinel.kafka;

import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.testing.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The broker named by {@code SENTINEL_TEST_KAFKA_BOOTSTRAP} ({@code . scripts/kafka.sh} starts one
 * and sets it), with unique topics and groups per test so tests never see each other's records.
 */
final class KafkaTestBroker implements AutoCloseable {

  final String bootstrap;
  final Admin admin;
  final String topic;
  final String deadLetterTopic;
  final String group;
  private final KafkaProducer<String, String> producer;

  private KafkaTestBroker(String bootstrap, int partitions) throws Exception {
    this.bootstrap = bootstrap;
    String id = UUID.randomUUID().toString().substring(0, 8);
    this.topic = "telemetry-" + id;
    this.deadLetterTopic = "telemetry-dlq-" + id;
    this.group = "sentinel-" + id;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    admin
        .createTopics(
            List.of(
                new NewTopic(topic, partitions, (short) 1),
                new NewTopic(deadLetterTopic, 1, (short) 1)))
        .all()
        .get();
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
  }

  /** Skips the calling test, with the reason, when no broker is configured. */
  static KafkaTestBroker open(int partitions) throws Exception {
    String bootstrap = System.getenv("SENTINEL_TEST_KAFKA_BOOTSTRAP");
    Prerequisites.require(
        bootstrap != null && !bootstrap.isBlank(),
        "SENTINEL_TEST_KAFKA_BOOTSTRAP is not set: Kafka tests skipped (run '. scripts/kafka.sh'"
            + " first to start a broker and set it)");
    return new KafkaTestBroker(bootstrap.strip(), partitions);
  }

  KafkaIngestConfig config() {
    return KafkaIngestConfig.of(bootstrap, topic, group, deadLetterTopic)
        .withCommitInterval(Duration.ofMillis(200));
  }

  /** Sends points of one series as one record keyed by the series text, and waits for the ack. */
  void sendSeries(SeriesKey series, int points, long firstMillis) throws Exception {
    StringBuilder json = new StringBuilder("{\"points\":[");
    for (int i = 0; i < points; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"name\":\"")
          .append(series.name())
          .append("\",\"labels\":{");
      boolean first = true;
      for (var label : series.labels().entrySet()) {
        json.append(first ? "" : ",")
            .append('"')
            .append(label.getKey())
            .append("\":\"")
            .append(label.getValue())
            .append('"');
        first = false;
      }
      json.append("},\"timestamp\":").append(firstMillis + i).append(",\"value\":").append(i);
      json.append('}');
    }
    json.append("]}");
    producer.send(new ProducerRecord<>(topic, series.text(), json.toString())).get();
  }

  void sendRaw(int partition, String key, String value) throws Exception {
    producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
  }

  /** The group's committed offsets by partition (absent: nothing committed). */
  Map<TopicPartition, OffsetAndMetadata> committed() throws Exception {
    return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
  }

  /** Every record of the dead-letter topic, read from its start. */
  List<ConsumerRecord<byte[], byte[]>> deadLetters(int expected) {
    try (KafkaConsumer<byte[], byte[]> reader =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      TopicPartition partition = new TopicPartition(deadLetterTopic, 0);
      reader.assign(List.of(partition));
      reader.seekToBeginning(List.of(partition));
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        reader.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 30 s waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() throws Exception {
    producer.close();
    admin.deleteTopics(List.of(topic, deadLetterTopic)).all().get();
    admin.close();
  }
}
