package dev.sentinel.app.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kafka side of the telemetry bus ({@code bus.kafka.*}); read only when {@code bus.kind} is
 * {@code kafka}, and then the four names are required.
 *
 * @param bootstrap bootstrap servers, e.g. {@code kafka-0:9092,kafka-1:9092}
 * @param topic the telemetry topic, its records in {@code format}
 * @param groupId the consumer group every instance of one deployment shares
 * @param deadLetterTopic where records that cannot be decoded go, with the reason in headers
 * @param publishHttp whether the HTTP, remote-write and OTLP edges publish to the topic instead of
 *     the in-process bus, so that every producer meets in one stream
 * @param topicPartitions 0: both topics must exist already (start-up fails naming the missing one);
 *     more: missing topics are created with this many partitions (replication factor of the
 *     broker's default)
 * @param warmUpMinutes how far back a newly assigned partition's detectors are warmed from the
 *     telemetry store; 0 turns warm-up off (detectors start cold after a rebalance)
 * @param clientProperties extra Kafka client properties as {@code name=value} (security, timeouts),
 *     for every client Sentinel makes
 * @param format what the topic's records hold: {@code sentinel} (the default: JSON batches, as the
 *     body of {@code POST /api/v1/metrics}), {@code prometheus} (one sample per record, the JSON
 *     prometheus-kafka-adapter writes) or {@code otlp} (an OTLP protobuf {@code
 *     ExportMetricsServiceRequest} per record)
 */
public record KafkaBusConfig(
    String bootstrap,
    String topic,
    String groupId,
    String deadLetterTopic,
    boolean publishHttp,
    int topicPartitions,
    int warmUpMinutes,
    List<String> clientProperties,
    String format) {

  public static final String SENTINEL = "sentinel";
  public static final String PROMETHEUS = "prometheus";
  public static final String OTLP = "otlp";

  public KafkaBusConfig {
    bootstrap = bootstrap == null ? "" : bootstrap.strip();
    topic = topic == null ? "" : topic.strip();
    groupId = groupId == null ? "" : groupId.strip();
    deadLetterTopic = deadLetterTopic == null ? "" : deadLetterTopic.strip();
    if (topicPartitions < 0 || topicPartitions > 10_000) {
      throw new IllegalArgumentException(
          "kafka.topicPartitions must be in 0..10000, was " + topicPartitions);
    }
    if (warmUpMinutes < 0 || warmUpMinutes > 7 * 24 * 60) {
      throw new IllegalArgumentException(
          "kafka.warmUpMinutes must be in 0..10080 (a week), was " + warmUpMinutes);
    }
    clientProperties = clientProperties == null ? List.of() : List.copyOf(clientProperties);
    properties(clientProperties);
    format = format == null || format.isBlank() ? SENTINEL : format.strip();
    if (!List.of(SENTINEL, PROMETHEUS, OTLP).contains(format)) {
      throw new IllegalArgumentException(
          "kafka.format must be 'sentinel', 'prometheus' or 'otlp', was '" + format + "'");
    }
  }

  public static KafkaBusConfig defaults() {
    return new KafkaBusConfig("", "", "", "", false, 0, 60, List.of(), SENTINEL);
  }

  /** The client properties as a map; each entry must read {@code name=value}. */
  public Map<String, String> properties() {
    return properties(clientProperties);
  }

  private static Map<String, String> properties(List<String> entries) {
    Map<String, String> properties = new TreeMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      int split = entry.indexOf('=');
      if (split <= 0) {
        throw new IllegalArgumentException(
            "kafka.clientProperties[" + i + "] must read name=value, was '" + entry + "'");
      }
      properties.put(entry.substring(0, split).strip(), entry.substring(split + 1).strip());
    }
    return properties;
  }

  void requireComplete() {
    requireText(bootstrap, "bootstrap");
    requireText(topic, "topic");
    requireText(groupId, "groupId");
    requireText(deadLetterTopic, "deadLetterTopic");
    if (deadLetterTopic.equals(topic)) {
      throw new IllegalArgumentException(
          "kafka.deadLetterTopic must differ from kafka.topic ('" + topic + "')");
    }
    if (publishHttp && !format.equals(SENTINEL)) {
      // The HTTP edges publish Sentinel's JSON, which a topic of another format would refuse.
      throw new IllegalArgumentException(
          "kafka.publishHttp needs kafka.format 'sentinel', was '" + format + "'");
    }
  }

  private static void requireText(String value, String key) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("kafka." + key + " must be set when bus.kind is kafka");
    }
  }
}
