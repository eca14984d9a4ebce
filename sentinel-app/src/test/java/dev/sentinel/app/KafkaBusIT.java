package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.testing.Prerequisites;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sentinel run} with {@code bus.kind: kafka} against the real broker that test.sh starts
 * ({@code SENTINEL_TEST_KAFKA_BOOTSTRAP}); the warm-up test also needs the real ClickHouse ({@code
 * SENTINEL_TEST_CLICKHOUSE_URL}), the store two instances share.
 */
class KafkaBusIT {

  private static final String ADMIN = "snt_kafka_bus_test_admin_key_0123456789ab";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final long STEP = 10_000;

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
    topic = "telemetry-" + run;
    deadLetters = "telemetry-dlq-" + run;
    group = "sentinel-" + run;
  }

  @Test
  void records_from_the_topic_are_detected_and_a_poison_record_is_dead_lettered() throws Exception {
    try (SentinelProcess sentinel = start("a", Map.of());
        KafkaProducer<String, String> producer = producer()) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(PATIENCE), ADMIN);
      String series = "kafka_cpu{host=\"h1\"}";
      long start = System.currentTimeMillis() - 200 * STEP;
      producer.send(new ProducerRecord<>(topic, series, steady("kafka_cpu", start, 200))).get();
      producer.send(
          new ProducerRecord<>(topic, series, point("kafka_cpu", start + 200 * STEP, 500)));
      producer
          .send(new ProducerRecord<>(topic, "junk", "[{\"name\": \"cpu\", \"value\": \"high\"}]"))
          .get();

      JsonNode found =
          api.await(
              "/api/v1/anomalies?since=1h&series=kafka_cpu",
              body -> body.get("count").asInt() > 0,
              PATIENCE);
      assertThat(found.get("anomalies").get(0).get("value").asDouble()).isEqualTo(500.0);

      ConsumerRecord<String, String> dead = firstRecord(deadLetters);
      assertThat(dead.value()).contains("\"high\"");
      String reason =
          new String(
              dead.headers().lastHeader("sentinel.dlq.reason").value(), StandardCharsets.UTF_8);
      assertThat(reason).contains("value");
      assertThat(header(dead, "sentinel.dlq.group")).isEqualTo(group);

      String metrics = api.getText("/metrics");
      assertThat(metrics).contains("sentinel_kafka_consumer_lag{");
      assertThat(metrics).contains("sentinel_kafka_records_deadlettered_total{");
      JsonNode health = api.get("/health/detailed").body();
      assertThat(health.toString()).contains("\"kafka\"");
      assertThat(health.at("/components/kafka/status").asText()).isEqualTo("UP");
    }
  }

  /**
   * Three services' metrics stream in; then checkout's latency and error rate jump while the others
   * stay as they were. The anomalies reach the correlator, which opens one incident for checkout
   * and none for the healthy services.
   */
  @Test
  void a_stream_with_injected_faults_opens_an_incident_for_the_faulty_service() throws Exception {
    List<String> services = List.of("api", "checkout", "db");
    List<String> metrics = List.of("latency_p99_ms", "error_rate");
    try (SentinelProcess sentinel = start("faults", Map.of());
        KafkaProducer<String, String> producer = producer()) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(PATIENCE), ADMIN);
      long start = System.currentTimeMillis() - 210 * STEP;
      for (int step = 0; step < 210; step += 10) {
        for (String service : services) {
          for (String metric : metrics) {
            StringBuilder json = new StringBuilder("[");
            for (int i = step; i < step + 10; i++) {
              boolean faulty = service.equals("checkout") && i >= 200;
              double usual = metric.equals("error_rate") ? 0.01 + (i % 5) * 0.001 : 120 + (i % 7);
              double value = faulty ? usual * 8 : usual;
              json.append(i == step ? "" : ",")
                  .append(pointJson(metric, Map.of("service", service), start + i * STEP, value));
            }
            String key = metric + "{service=\"" + service + "\"}";
            producer.send(new ProducerRecord<>(topic, key, json.append(']').toString()));
          }
        }
      }
      producer.flush();

      JsonNode opened =
          api.await(
              "/api/v1/incidents?service=checkout",
              body -> body.get("count").asInt() > 0,
              PATIENCE);
      String id = opened.at("/incidents/0/id").asText();
      JsonNode incident = api.get("/api/v1/incidents/" + id).body();
      assertThat(incident.get("series")).as(incident.toString()).isNotEmpty();
      for (JsonNode series : incident.get("series")) {
        assertThat(series.asText()).contains("service=\"checkout\"");
      }
      assertThat(api.get("/api/v1/incidents?service=api").body().get("count").asInt()).isZero();
      assertThat(api.get("/api/v1/incidents?service=db").body().get("count").asInt()).isZero();
    }
  }

  @Test
  void with_publish_http_the_metrics_endpoint_writes_to_the_topic() throws Exception {
    try (SentinelProcess sentinel = start("b", Map.of("SENTINEL_BUS_KAFKA_PUBLISH_HTTP", "true"))) {
      String base = sentinel.awaitReady(PATIENCE);
      SentinelApi api = new SentinelApi(base, ADMIN);
      HttpResponse<String> posted =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/api/v1/metrics"))
                      .header("Authorization", "Bearer " + ADMIN)
                      .header("X-Request-ID", "req-kafka-42")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "[{\"name\": \"http_via_kafka\", \"labels\": {\"host\": \"h2\"},"
                                  + " \"value\": 3.5}]"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

      ConsumerRecord<String, String> record = firstRecord(topic);
      assertThat(record.key()).isEqualTo("http_via_kafka{host=\"h2\"}");
      assertThat(record.value()).contains("http_via_kafka").contains("3.5");
      assertThat(header(record, "X-Request-ID")).isEqualTo("req-kafka-42");
      // The instance consumes its own record back: the series reaches detection through Kafka.
      api.await(
          "/api/v1/series?match=http_via_kafka", body -> body.toString().contains("h2"), PATIENCE);
    }
  }

  @Test
  void a_new_owner_warms_its_detectors_from_the_store_and_flags_the_first_spike() throws Exception {
    String clickhouse = System.getenv("SENTINEL_TEST_CLICKHOUSE_URL");
    Prerequisites.require(
        clickhouse != null && !clickhouse.isBlank(),
        "SENTINEL_TEST_CLICKHOUSE_URL is not set: test.sh starts ClickHouse");
    Map<String, String> shared =
        Map.of(
            "SENTINEL_TELEMETRY_STORE",
            "clickhouse",
            "SENTINEL_TELEMETRY_CLICKHOUSE_URL",
            clickhouse,
            "SENTINEL_TELEMETRY_CLICKHOUSE_DATABASE",
            "kafka_bus_" + group.substring(9));
    String series = "warm_cpu{host=\"h3\"}";
    long start = System.currentTimeMillis() - 200 * STEP;
    try (KafkaProducer<String, String> producer = producer()) {
      try (SentinelProcess first = start("first", shared)) {
        SentinelApi api = new SentinelApi(first.awaitReady(PATIENCE), ADMIN);
        producer.send(new ProducerRecord<>(topic, series, steady("warm_cpu", start, 200))).get();
        String history =
            "/api/v1/series/history?step=1h&since=1h&series="
                + URLEncoder.encode(series, StandardCharsets.UTF_8);
        api.await(history, body -> stored(body) >= 200, PATIENCE);
      }
      // The first instance has left the group; the second gets every partition, warms the
      // series' detector from ClickHouse, and so can judge the very first point it reads.
      try (SentinelProcess second = start("second", shared)) {
        SentinelApi api = new SentinelApi(second.awaitReady(PATIENCE), ADMIN);
        awaitMetricAtLeast(api, "sentinel_kafka_warmup_points_total", 200);
        producer
            .send(new ProducerRecord<>(topic, series, point("warm_cpu", start + 200 * STEP, 500)))
            .get();
        JsonNode found =
            api.await(
                "/api/v1/anomalies?since=1h&series=warm_cpu",
                body -> body.get("count").asInt() > 0,
                PATIENCE);
        assertThat(found.get("anomalies").get(0).get("value").asDouble()).isEqualTo(500.0);
      }
    }
  }

  @Test
  void a_missing_topic_stops_start_up_with_its_name_unless_sentinel_may_create_it()
      throws Exception {
    try (SentinelProcess sentinel =
        start("missing", Map.of("SENTINEL_BUS_KAFKA_TOPIC_PARTITIONS", "0"))) {
      assertThat(sentinel.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(sentinel.process().exitValue()).isNotZero();
      assertThat(sentinel.log())
          .contains("Kafka topic(s) [" + topic + ", " + deadLetters + "] do not exist")
          .contains("bus.kafka.topicPartitions");
    }
  }

  private SentinelProcess start(String name, Map<String, String> extra) throws Exception {
    Map<String, String> environment = new HashMap<>();
    environment.put("SENTINEL_ADMIN_KEY", ADMIN);
    environment.put("SENTINEL_BUS_KIND", "kafka");
    environment.put("SENTINEL_BUS_KAFKA_BOOTSTRAP", bootstrap);
    environment.put("SENTINEL_BUS_KAFKA_TOPIC", topic);
    environment.put("SENTINEL_BUS_KAFKA_GROUP_ID", group);
    environment.put("SENTINEL_BUS_KAFKA_DEAD_LETTER_TOPIC", deadLetters);
    environment.put("SENTINEL_BUS_KAFKA_TOPIC_PARTITIONS", "3");
    environment.putAll(extra);
    return SentinelProcess.start(
        environment, "run", "--port", "0", "--data-dir", dir.resolve(name).toString());
  }

  private static String steady(String name, long start, int count) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      double value = 50 + (i % 7) * 0.5 - 1.5;
      json.append(i == 0 ? "" : ",").append(pointJson(name, start + i * STEP, value));
    }
    return json.append(']').toString();
  }

  private static String point(String name, long timestamp, double value) {
    return "[" + pointJson(name, timestamp, value) + "]";
  }

  private static String pointJson(String name, long timestamp, double value) {
    return pointJson(
        name, Map.of("host", name.equals("kafka_cpu") ? "h1" : "h3"), timestamp, value);
  }

  private static String pointJson(
      String name, Map<String, String> labels, long timestamp, double value) {
    StringBuilder json =
        new StringBuilder("{\"name\": \"").append(name).append("\", \"labels\": {");
    labels.forEach(
        (label, text) ->
            json.append(json.charAt(json.length() - 1) == '{' ? "" : ", ")
                .append('"')
                .append(label)
                .append("\": \"")
                .append(text)
                .append('"'));
    return json.append("}, \"timestamp\": ")
        .append(timestamp)
        .append(", \"value\": ")
        .append(value)
        .append('}')
        .toString();
  }

  private static long stored(JsonNode history) {
    long count = 0;
    for (JsonNode bucket : history.get("buckets")) {
      count += bucket.get("count").asLong();
    }
    return count;
  }

  static void awaitMetricAtLeast(SentinelApi api, String metric, double least) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    double seen = -1;
    while (System.nanoTime() < deadline) {
      seen = metricValue(api.getText("/metrics"), metric);
      if (seen >= least) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(metric + " stayed at " + seen + ", expected at least " + least);
  }

  static double metricValue(String exposition, String metric) {
    for (String line : exposition.lines().toList()) {
      if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  private KafkaProducer<String, String> producer() {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return new KafkaProducer<>(properties);
  }

  private ConsumerRecord<String, String> firstRecord(String fromTopic) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
      consumer.subscribe(List.of(fromTopic));
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          return record;
        }
      }
    }
    throw new AssertionError("no record on " + fromTopic + " within " + PATIENCE);
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
