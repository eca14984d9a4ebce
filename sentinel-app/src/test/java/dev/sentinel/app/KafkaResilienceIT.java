package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.testing.Prerequisites;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a fleet on Kafka must survive, with real processes: one of two {@code sentinel run}
 * instances of a consumer group stopping mid-stream (the shared broker of {@code scripts/kafka.sh},
 * history in the real ClickHouse), and the broker itself crashing and coming back mid-stream (a
 * broker of the test's own, {@link OwnKafkaBroker}).
 *
 * <p>Both count what reached detection through the telemetry store: each instance's partition
 * threads write every point they detect to the store in the same step, and the stream gives every
 * point of a series its own second. One stored row per second means each point was detected once; a
 * missing second is a point lost; two rows in a second, a point detected twice.
 */
class KafkaResilienceIT {

  private static final String ADMIN = "snt_kafka_resilience_admin_key_0123456789";
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final int SERIES = 20;
  private static final int POINTS = 600;
  private static final int POINTS_PER_RECORD = 10;

  /** The stream takes about this long to produce, so the disruption lands in its middle. */
  private static final Duration STREAM = Duration.ofSeconds(15);

  @TempDir Path dir;

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String topic = "resilience-" + run;
  private final String group = "sentinel-" + run;

  @Test
  void when_one_of_two_instances_stops_the_other_takes_its_partitions_and_detects_every_point_once()
      throws Exception {
    takeOver(false);
  }

  @Test
  void when_one_of_two_instances_crashes_the_other_takes_its_partitions_and_loses_no_point()
      throws Exception {
    takeOver(true);
  }

  /**
   * Two instances share the group and ClickHouse; a third of the way through the stream the first
   * one stops (SIGTERM, as a scaled-down pod) or crashes (SIGKILL). A stop commits only what is
   * detected and stored, so the second resumes exactly there: every point once. A crash leaves the
   * last commit behind, so the second reads its tail again: every point at least once.
   */
  private void takeOver(boolean crash) throws Exception {
    String bootstrap = required("SENTINEL_TEST_KAFKA_BOOTSTRAP", "test.sh starts the broker");
    String clickhouse = required("SENTINEL_TEST_CLICKHOUSE_URL", "test.sh starts ClickHouse");
    Map<String, String> shared = new HashMap<>();
    shared.put("SENTINEL_TELEMETRY_STORE", "clickhouse");
    shared.put("SENTINEL_TELEMETRY_CLICKHOUSE_URL", clickhouse);
    shared.put("SENTINEL_TELEMETRY_CLICKHOUSE_DATABASE", "kafka_resilience_" + run);
    shared.put("SENTINEL_BUS_KAFKA_TOPIC_PARTITIONS", "4");

    try (SentinelProcess first = start("first", bootstrap, shared);
        SentinelProcess second = start("second", bootstrap, shared);
        KafkaProducer<String, String> producer = producer(bootstrap)) {
      SentinelApi firstApi = new SentinelApi(first.awaitReady(PATIENCE), ADMIN);
      SentinelApi secondApi = new SentinelApi(second.awaitReady(PATIENCE), ADMIN);
      awaitPrinted(first, "assigned " + topic);
      awaitPrinted(second, "assigned " + topic);

      double[] firstConsumed = {0};
      Stream stream = new Stream(System.currentTimeMillis() - POINTS * 1000L);
      stream.produce(
          producer,
          () -> {
            firstConsumed[0] = consumed(firstApi);
            if (crash) {
              first.kill();
            } else {
              assertThat(first.stop(Duration.ofSeconds(30))).as(first.log()).isTrue();
              assertThat(first.log()).contains("Sentinel stopped in");
            }
          });

      stream.awaitStored(secondApi, !crash);
      // Both did part of the work: the second took over partitions the first had been reading.
      assertThat(firstConsumed[0]).isPositive();
      assertThat(consumed(secondApi)).isPositive().isLessThan(SERIES * POINTS * (crash ? 2 : 1));
    }
  }

  private static double consumed(SentinelApi api) throws Exception {
    return KafkaBusIT.metricValue(api.getText("/metrics"), "sentinel_kafka_points_consumed_total");
  }

  @Test
  void a_broker_that_crashes_and_comes_back_mid_stream_loses_no_point() throws Exception {
    String classPath =
        required("SENTINEL_TEST_KAFKA_CLASSPATH_FILE", "scripts/kafka.sh resolves the broker");
    String log4j = required("SENTINEL_TEST_KAFKA_LOG4J", "scripts/kafka.sh writes it");
    Path brokerDir = Files.createDirectories(dir.resolve("broker"));
    try (OwnKafkaBroker broker = OwnKafkaBroker.start(brokerDir, 19192, Path.of(classPath), log4j);
        SentinelProcess sentinel =
            start("only", broker.bootstrap(), Map.of("SENTINEL_BUS_KAFKA_TOPIC_PARTITIONS", "3"));
        KafkaProducer<String, String> producer = producer(broker.bootstrap())) {
      SentinelApi api = new SentinelApi(sentinel.awaitReady(PATIENCE), ADMIN);
      awaitPrinted(sentinel, "assigned " + topic);

      Stream stream = new Stream(System.currentTimeMillis() - POINTS * 1000L);
      stream.produce(
          producer,
          () -> {
            broker.kill();
            Thread.sleep(5_000);
            broker.start();
          });

      stream.awaitStored(api, false);
      assertThat(sentinel.process().isAlive()).isTrue();
      api.await(
          "/health/detailed",
          body -> "UP".equals(body.at("/components/kafka/status").asText()),
          PATIENCE);
    }
  }

  /** A disruption run beside the producer; it may throw, and the test then fails. */
  @FunctionalInterface
  private interface Disruption {
    void run() throws Exception;
  }

  /**
   * {@link #SERIES} series of {@link #POINTS} points one second apart, sent as records of {@link
   * #POINTS_PER_RECORD} points keyed by series, paced over {@link #STREAM}.
   */
  private final class Stream {

    private final long start;

    Stream(long start) {
      this.start = start - start % 1000;
    }

    /**
     * Produces the whole stream; a third of the way through, starts {@code disruption} on another
     * thread and goes on producing meanwhile. Returns once every record is acknowledged.
     */
    void produce(KafkaProducer<String, String> producer, Disruption disruption) throws Exception {
      int rounds = POINTS / POINTS_PER_RECORD;
      long pause = STREAM.toMillis() / rounds;
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      CompletableFuture<Void> disrupted = null;
      for (int round = 0; round < rounds; round++) {
        if (round == rounds / 3) {
          disrupted =
              CompletableFuture.runAsync(
                  () -> {
                    try {
                      disruption.run();
                    } catch (Exception e) {
                      throw new IllegalStateException("the disruption failed", e);
                    }
                  });
        }
        for (int s = 0; s < SERIES; s++) {
          sent.add(producer.send(new ProducerRecord<>(topic, key(s), record(s, round))));
        }
        Thread.sleep(pause);
      }
      producer.flush();
      for (Future<RecordMetadata> future : sent) {
        future.get(); // every record acknowledged by the broker: it was produced
      }
      disrupted.get();
    }

    private String record(int series, int round) {
      StringBuilder json = new StringBuilder("[");
      for (int i = 0; i < POINTS_PER_RECORD; i++) {
        int point = round * POINTS_PER_RECORD + i;
        json.append(i == 0 ? "" : ",")
            .append("{\"name\": \"resilience_cpu\", \"labels\": {\"host\": \"")
            .append(host(series))
            .append("\"}, \"timestamp\": ")
            .append(start + point * 1000L)
            .append(", \"value\": ")
            .append(50 + (point % 7) * 0.5)
            .append('}');
      }
      return json.append(']').toString();
    }

    /**
     * Waits until every second of every series is in the store, then checks each holds one row
     * ({@code exactlyOnce}) or at least one (at least once: a crash may replay a commit interval).
     */
    void awaitStored(SentinelApi api, boolean exactlyOnce) throws Exception {
      for (int s = 0; s < SERIES; s++) {
        String path =
            "/api/v1/series/history?step=1s&since=1h&series="
                + URLEncoder.encode(key(s), StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Map<Long, Long> rows = rowsPerSecond(api.get(path).body());
        while (rows.size() < POINTS && System.nanoTime() < deadline) {
          Thread.sleep(250);
          rows = rowsPerSecond(api.get(path).body());
        }
        List<Long> missing = new ArrayList<>();
        List<Long> twice = new ArrayList<>();
        for (int point = 0; point < POINTS; point++) {
          long second = start + point * 1000L;
          long count = rows.getOrDefault(second, 0L);
          if (count == 0) {
            missing.add(second);
          } else if (count > 1) {
            twice.add(second);
          }
        }
        assertThat(missing).as(key(s) + ": seconds with no stored point (lost)").isEmpty();
        if (exactlyOnce) {
          assertThat(twice).as(key(s) + ": seconds stored more than once").isEmpty();
        }
      }
    }
  }

  /** The stored rows of each second, from a history answer with 1 s buckets. */
  private static Map<Long, Long> rowsPerSecond(JsonNode history) {
    Map<Long, Long> rows = new HashMap<>();
    for (JsonNode bucket : history.get("buckets")) {
      rows.put(bucket.get("t").asLong(), bucket.get("count").asLong());
    }
    return rows;
  }

  private static String host(int series) {
    return String.format("h%02d", series);
  }

  private static String key(int series) {
    return "resilience_cpu{host=\"" + host(series) + "\"}";
  }

  private SentinelProcess start(String name, String bootstrap, Map<String, String> extra)
      throws Exception {
    Map<String, String> environment = new HashMap<>(extra);
    environment.put("SENTINEL_ADMIN_KEY", ADMIN);
    environment.put("SENTINEL_BUS_KIND", "kafka");
    environment.put("SENTINEL_BUS_KAFKA_BOOTSTRAP", bootstrap);
    environment.put("SENTINEL_BUS_KAFKA_TOPIC", topic);
    environment.put("SENTINEL_BUS_KAFKA_GROUP_ID", group);
    environment.put("SENTINEL_BUS_KAFKA_DEAD_LETTER_TOPIC", topic + "-dlq");
    return SentinelProcess.start(
        environment, "run", "--port", "0", "--data-dir", dir.resolve(name).toString());
  }

  private static void awaitPrinted(SentinelProcess sentinel, String text)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!sentinel.printed(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "'" + text + "' not printed within " + PATIENCE + ":\n" + sentinel.log());
      }
      Thread.sleep(100);
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // Long enough to ride out the broker's crash and restart without giving a record up.
    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new KafkaProducer<>(properties);
  }

  private static String required(String variable, String why) {
    String value = System.getenv(variable);
    Prerequisites.require(value != null && !value.isBlank(), variable + " is not set: " + why);
    return value;
  }
}
