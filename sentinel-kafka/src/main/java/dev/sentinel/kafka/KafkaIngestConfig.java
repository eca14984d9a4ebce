package dev.sentinel.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the consumer reaches Kafka and how it hands points on. The first four fields are the YAML
 * keys {@code bus.kafka.bootstrap}, {@code bus.kafka.topic}, {@code bus.kafka.groupId} and {@code
 * bus.kafka.deadLetterTopic}; the rest have defaults chosen for the in-process bus.
 *
 * @param maxHandOffPoints points decoded before they are offered to the sink as one batch; keep it
 *     well under the bus capacity so that a batch fits while others are in flight
 * @param pollTimeout how long a poll waits for records when nothing is paused
 * @param retryBackoff how long to wait before offering a refused batch again (the bus has no "room
 *     again" signal, so the consumer asks again after this pause)
 * @param commitInterval how often handed-on offsets are committed; a crash re-reads at most this
 *     much (plus what was in flight), which at-least-once allows
 * @param clientProperties extra Kafka client properties for the consumer and the dead-letter
 *     producer (security, timeouts); they override Sentinel's defaults
 */
public record KafkaIngestConfig(
    String bootstrap,
    String topic,
    String groupId,
    String deadLetterTopic,
    int maxHandOffPoints,
    Duration pollTimeout,
    Duration retryBackoff,
    Duration commitInterval,
    Map<String, String> clientProperties) {

  public KafkaIngestConfig {
    requireText(bootstrap, "bus.kafka.bootstrap");
    requireText(topic, "bus.kafka.topic");
    requireText(groupId, "bus.kafka.groupId");
    requireText(deadLetterTopic, "bus.kafka.deadLetterTopic");
    if (deadLetterTopic.equals(topic)) {
      throw new IllegalArgumentException(
          "bus.kafka.deadLetterTopic must differ from bus.kafka.topic ('" + topic + "')");
    }
    if (maxHandOffPoints < 1) {
      throw new IllegalArgumentException("maxHandOffPoints must be >= 1, was " + maxHandOffPoints);
    }
    requirePositive(pollTimeout, "pollTimeout");
    requirePositive(retryBackoff, "retryBackoff");
    requirePositive(commitInterval, "commitInterval");
    clientProperties = Map.copyOf(clientProperties);
  }

  /**
   * The defaults: 10,000 points per hand-off, 500 ms polls, 20 ms retries, commits every second.
   */
  public static KafkaIngestConfig of(
      String bootstrap, String topic, String groupId, String deadLetterTopic) {
    return new KafkaIngestConfig(
        bootstrap,
        topic,
        groupId,
        deadLetterTopic,
        10_000,
        Duration.ofMillis(500),
        Duration.ofMillis(20),
        Duration.ofSeconds(1),
        Map.of());
  }

  public KafkaIngestConfig withMaxHandOffPoints(int points) {
    return new KafkaIngestConfig(
        bootstrap,
        topic,
        groupId,
        deadLetterTopic,
        points,
        pollTimeout,
        retryBackoff,
        commitInterval,
        clientProperties);
  }

  public KafkaIngestConfig withCommitInterval(Duration interval) {
    return new KafkaIngestConfig(
        bootstrap,
        topic,
        groupId,
        deadLetterTopic,
        maxHandOffPoints,
        pollTimeout,
        retryBackoff,
        interval,
        clientProperties);
  }

  public KafkaIngestConfig withClientProperties(Map<String, String> properties) {
    return new KafkaIngestConfig(
        bootstrap,
        topic,
        groupId,
        deadLetterTopic,
        maxHandOffPoints,
        pollTimeout,
        retryBackoff,
        commitInterval,
        properties);
  }

  private static void requireText(String value, String key) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " must be set when bus.kind is kafka");
    }
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }
}
