package dev.sentinel.bench.load;

import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.kafka.SeriesPartitioner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka ingest into a real {@code sentinel run}, end to end: consume, decode, detect, store.
 *
 * <p>Two steps, so that the producer's speed does not cap what is measured:
 *
 * <pre>
 * KafkaLoad produce BOOTSTRAP TOPIC [points=5000000] [partitions=4] [series=10000] [perRecord=1000]
 *     creates TOPIC and TOPIC-dlq, fills TOPIC with JSON batch records (the HTTP API's schema),
 *     each record holding series of one partition and sent to it, as docs/kafka.md asks
 * KafkaLoad watch SENTINEL_URL POINTS
 *     polls SENTINEL_URL/metrics while a Sentinel with bus.kind: kafka on TOPIC drains it, and
 *     reports the rate from the first point consumed to the last point detected
 * </pre>
 */
public final class KafkaLoad {

  private static final long STEP_MILLIS = 10_000;

  private KafkaLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 3 && args[0].equals("produce")) {
      produce(
          args[1],
          args[2],
          argument(args, 3, 5_000_000),
          (int) argument(args, 4, 4),
          (int) argument(args, 5, 10_000),
          (int) argument(args, 6, 1_000));
    } else if (args.length >= 3 && args[0].equals("watch")) {
      watch(args[1], Long.parseLong(args[2]));
    } else {
      System.err.println(
          "usage: KafkaLoad produce BOOTSTRAP TOPIC [points] [partitions] [series] [perRecord]\n"
              + "       KafkaLoad watch SENTINEL_URL POINTS");
      System.exit(2);
    }
  }

  private static long argument(String[] args, int index, long fallback) {
    return args.length > index ? Long.parseLong(args[index]) : fallback;
  }

  private static void produce(
      String bootstrap, String topic, long points, int partitions, int series, int perRecord)
      throws Exception {
    Properties admin = new Properties();
    admin.put("bootstrap.servers", bootstrap);
    try (Admin client = Admin.create(admin)) {
      client
          .createTopics(
              List.of(
                  new NewTopic(topic, partitions, (short) 1),
                  new NewTopic(topic + "-dlq", 1, (short) 1)))
          .all()
          .get();
    }
    int[] partitionOf = new int[series];
    for (int s = 0; s < series; s++) {
      SeriesKey key =
          SeriesKey.of(
              "load_latency_ms", Map.of("host", "h" + (s % 500), "route", "r" + (s / 500)));
      partitionOf[s] = SeriesPartitioner.partition(key.text(), partitions);
    }
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ProducerConfig.ACKS_CONFIG, "1");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    long start = System.currentTimeMillis() - (points / series + 1) * STEP_MILLIS;
    StringBuilder[] open = new StringBuilder[partitions];
    int[] inRecord = new int[partitions];
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    long began = System.nanoTime();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
      for (long i = 0; i < points; i++) {
        int s = (int) (i % series);
        int p = partitionOf[s];
        StringBuilder record = open[p] == null ? open[p] = new StringBuilder("[") : open[p];
        if (inRecord[p] > 0) {
          record.append(',');
        }
        long timestamp = start + (i / series) * STEP_MILLIS;
        double value = 100 + (s % 17) + ((i * 7919) % 13) * 0.5;
        appendPoint(record, s, timestamp, value);
        if (++inRecord[p] == perRecord) {
          sent.add(
              producer.send(new ProducerRecord<>(topic, p, null, record.append(']').toString())));
          open[p] = null;
          inRecord[p] = 0;
        }
      }
      for (int p = 0; p < partitions; p++) {
        if (open[p] != null) {
          sent.add(
              producer.send(new ProducerRecord<>(topic, p, null, open[p].append(']').toString())));
        }
      }
      for (Future<RecordMetadata> future : sent) {
        future.get();
      }
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    System.out.printf(
        "produced %,d points in %,d records to %s (%d partitions, %,d series) in %.2f s: %,.0f points/s%n",
        points, sent.size(), topic, partitions, series, seconds, points / seconds);
  }

  private static void appendPoint(StringBuilder record, int s, long timestamp, double value) {
    record
        .append("{\"name\":\"load_latency_ms\",\"labels\":{\"host\":\"h")
        .append(s % 500)
        .append("\",\"route\":\"r")
        .append(s / 500)
        .append("\"},\"timestamp\":")
        .append(timestamp)
        .append(",\"value\":")
        .append(value)
        .append('}');
  }

  private static void watch(String base, long points) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest scrape = HttpRequest.newBuilder(URI.create(base + "/metrics")).build();
    long firstSeen = 0;
    double consumedAtFirst = 0;
    long deadline = System.nanoTime() + 30L * 60 * 1_000_000_000;
    while (System.nanoTime() < deadline) {
      String metrics;
      try {
        metrics = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
      } catch (java.net.ConnectException e) {
        Thread.sleep(100); // not listening yet
        continue;
      }
      double consumed = sum(metrics, "sentinel_kafka_points_consumed_total");
      double detected = sum(metrics, "sentinel_detect_points_total");
      long now = System.nanoTime();
      if (firstSeen == 0 && consumed > 0) {
        firstSeen = now;
        consumedAtFirst = consumed;
      }
      if (consumed >= points && detected >= points) {
        double seconds = (now - firstSeen) / 1e9;
        System.out.printf(
            "consumed and detected %,.0f points in %.2f s after the first was seen: %,.0f points/s%n",
            consumed, seconds, (consumed - consumedAtFirst) / seconds);
        System.out.printf(
            "dead-lettered records: %.0f, pauses: %.0f, points dropped from history: %.0f%n",
            sum(metrics, "sentinel_kafka_records_deadlettered_total"),
            sum(metrics, "sentinel_kafka_pauses_total"),
            sum(metrics, "sentinel_telemetry_dropped_points_total"));
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Sentinel did not consume " + points + " points in 30 min");
  }

  /** Sums every sample of a metric in a Prometheus text exposition. */
  private static double sum(String exposition, String metric) {
    double total = 0;
    for (String line : exposition.lines().toList()) {
      if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
