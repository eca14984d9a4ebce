package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.testing.Prerequisites;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bus.kafka.format}: one {@code sentinel run} per format reads real records from the broker
 * that test.sh starts ({@code SENTINEL_TEST_KAFKA_BOOTSTRAP}), detects a spike in them, and sends a
 * malformed record of that format to the dead-letter topic with its reason.
 */
class KafkaFormatsIT {

  private static final String ADMIN = "snt_kafka_formats_test_admin_key_0123456";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final long STEP = 10_000;
  private static final int HISTORY = 200;

  @TempDir Path dir;

  private String bootstrap;
  private String topic;
  private String deadLetters;
  private String group;

  @BeforeEach
  void names() {
    bootstrap = System.getenv("SENTINEL_TEST_KAFKA_BOOTSTRAP");
    Prerequisites.require(
        bootstrap != null && !bootstrap.isBlank(),
        "SENTINEL_TEST_KAFKA_BOOTSTRAP is not set: test.sh starts the broker");
    String run = UUID.randomUUID().toString().substring(0, 8);
    topic = "formats-" + run;
    deadLetters = "formats-dlq-" + run;
    group = "sentinel-formats-" + run;
  }

  @Test
  void sentinel_json_batches_are_detected_and_a_malformed_batch_is_dead_lettered()
      throws Exception {
    try (SentinelProcess sentinel = start("sentinel");
        KafkaProducer<byte[], byte[]> producer = producer()) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(PATIENCE), ADMIN);
      long start = System.currentTimeMillis() - (HISTORY + 1) * STEP;
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i <= HISTORY; i++) {
        batch
            .append(i == 0 ? "" : ",")
            .append("{\"name\": \"json_cpu\", \"labels\": {\"host\": \"h4\"}, \"timestamp\": ")
            .append(start + i * STEP)
            .append(", \"value\": ")
            .append(i == HISTORY ? 500 : usual(i))
            .append('}');
      }
      send(producer, "json_cpu{host=\"h4\"}", utf8(batch.append(']').toString()));
      send(producer, "junk", utf8("{\"points\": [{\"name\": \"json_cpu\"}]"));

      awaitSpike(api, "json_cpu");
      assertThat(deadReason()).contains("malformed JSON");
    }
  }

  @Test
  void prometheus_adapter_samples_are_detected_nan_is_counted_and_a_bad_sample_dead_lettered()
      throws Exception {
    try (SentinelProcess sentinel = start("prometheus");
        KafkaProducer<byte[], byte[]> producer = producer()) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(PATIENCE), ADMIN);
      long start = System.currentTimeMillis() - (HISTORY + 2) * STEP;
      String key = "adapter_latency{job=\"api\"}";
      for (int i = 0; i < HISTORY; i++) {
        send(producer, key, adapterSample(start + i * STEP, Double.toString(usual(i))));
      }
      send(producer, key, adapterSample(start + HISTORY * STEP, "NaN"));
      send(producer, key, adapterSample(start + (HISTORY + 1) * STEP, "500"));
      send(producer, "junk", adapterSample(start, "high"));

      awaitSpike(api, "adapter_latency");
      JsonNode series = api.get("/api/v1/series?match=adapter_latency").body();
      assertThat(series.at("/series/0/series").asText()).isEqualTo(key);
      assertThat(nonFiniteSkipped(api.getText("/metrics"))).isGreaterThanOrEqualTo(1.0);
      assertThat(deadReason()).contains("value 'high' is not a number");
    }
  }

  @Test
  void otlp_protobuf_requests_are_detected_and_a_malformed_request_is_dead_lettered()
      throws Exception {
    try (SentinelProcess sentinel = start("otlp");
        KafkaProducer<byte[], byte[]> producer = producer()) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(PATIENCE), ADMIN);
      long start = System.currentTimeMillis() - (HISTORY + 1) * STEP;
      Gauge.Builder history = Gauge.newBuilder();
      for (int i = 0; i < HISTORY; i++) {
        history.addDataPoints(otlpPoint(start + i * STEP, usual(i)));
      }
      send(producer, "otlp_queue_depth", otlp(history));
      send(
          producer,
          "otlp_queue_depth",
          otlp(Gauge.newBuilder().addDataPoints(otlpPoint(start + HISTORY * STEP, 500))));
      send(producer, "junk", new byte[] {0x0a, 0x7f, 0x01});

      awaitSpike(api, "otlp_queue_depth");
      JsonNode series = api.get("/api/v1/series?match=otlp_queue_depth").body();
      assertThat(series.at("/series/0/series").asText())
          .isEqualTo("otlp_queue_depth{host=\"h5\",service=\"checkout\"}");
      assertThat(deadReason()).contains("not a valid ExportMetricsServiceRequest (protobuf)");
    }
  }

  private SentinelProcess start(String format) throws Exception {
    return SentinelProcess.start(
        Map.of(
            "SENTINEL_ADMIN_KEY", ADMIN,
            "SENTINEL_BUS_KIND", "kafka",
            "SENTINEL_BUS_KAFKA_BOOTSTRAP", bootstrap,
            "SENTINEL_BUS_KAFKA_TOPIC", topic,
            "SENTINEL_BUS_KAFKA_GROUP_ID", group,
            "SENTINEL_BUS_KAFKA_DEAD_LETTER_TOPIC", deadLetters,
            // One partition: an OTLP request or a sample is not keyed by its series here.
            "SENTINEL_BUS_KAFKA_TOPIC_PARTITIONS", "1",
            "SENTINEL_BUS_KAFKA_FORMAT", format),
        "run",
        "--port",
        "0",
        "--data-dir",
        dir.resolve(format).toString());
  }

  /** A steady series around 50 with a little noise. */
  private static double usual(int i) {
    return 50 + (i % 7) * 0.5 - 1.5;
  }

  private static void awaitSpike(SentinelApi api, String metric) throws Exception {
    JsonNode found =
        api.await(
            "/api/v1/anomalies?since=1h&series=" + metric,
            body -> body.get("count").asInt() > 0,
            PATIENCE);
    assertThat(found.get("anomalies").get(0).get("value").asDouble()).isEqualTo(500.0);
  }

  /** One sample as prometheus-kafka-adapter writes it. */
  private static byte[] adapterSample(long millis, String value) {
    return utf8(
        "{\"timestamp\": \""
            + Instant.ofEpochMilli(millis)
            + "\", \"value\": \""
            + value
            + "\", \"name\": \"adapter_latency\", \"labels\": {\"__name__\": \"adapter_latency\","
            + " \"job\": \"api\"}}");
  }

  private static NumberDataPoint.Builder otlpPoint(long millis, double value) {
    return NumberDataPoint.newBuilder()
        .setTimeUnixNano(millis * 1_000_000)
        .setAsDouble(value)
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("host")
                .setValue(AnyValue.newBuilder().setStringValue("h5")));
  }

  private static byte[] otlp(Gauge.Builder gauge) {
    return OtlpGauges.request("otlp_queue_depth", gauge);
  }

  private static double nonFiniteSkipped(String exposition) {
    for (String line : exposition.lines().toList()) {
      if (line.startsWith("sentinel_ingest_skipped_points_total{")
          && line.contains("reason=\"nonfinite\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  private void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, utf8(key), value)).get();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaProducer<>(properties);
  }

  /** The reason header of the first (and only) dead letter, after checking its group header. */
  private String deadReason() {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      consumer.subscribe(List.of(deadLetters));
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("junk");
          assertThat(header(record, "sentinel.dlq.group")).isEqualTo(group);
          return header(record, "sentinel.dlq.reason");
        }
      }
    }
    throw new AssertionError("no record on " + deadLetters + " within " + PATIENCE);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
