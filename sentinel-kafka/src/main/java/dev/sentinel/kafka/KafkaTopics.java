package dev.sentinel.kafka;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Checks at start-up that the topics Sentinel reads and writes exist, and creates the missing ones
 * when asked to. Failing at start with the topic's name beats a consumer that waits forever for a
 * topic nobody created.
 */
public final class KafkaTopics {

  private static final long TIMEOUT_SECONDS = 30;

  private KafkaTopics() {}

  /**
   * Makes sure every topic exists.
   *
   * @param partitions 0: a missing topic is an error; more: missing topics are created with this
   *     many partitions and the broker's default replication factor
   * @throws KafkaIngestException when a topic is missing and may not be created, or the cluster
   *     does not answer within 30 s
   */
  public static void ensure(
      String bootstrap, Map<String, String> clientProperties, List<String> topics, int partitions) {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    clientProperties.forEach(
        (key, value) -> {
          if (AdminClientConfig.configNames().contains(key)) {
            properties.put(key, value);
          }
        });
    try (Admin admin = Admin.create(properties)) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Set<String> missing = new LinkedHashSet<>(topics);
      missing.removeAll(existing);
      if (missing.isEmpty()) {
        return;
      }
      if (partitions == 0) {
        throw new KafkaIngestException(
            "Kafka topic(s) "
                + missing
                + " do not exist at "
                + bootstrap
                + "; create them, or set bus.kafka.topicPartitions to let Sentinel create them",
            null);
      }
      List<NewTopic> created = new ArrayList<>();
      for (String topic : missing) {
        created.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
      }
      try {
        admin.createTopics(created).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // Another instance starting at the same time created it first: that is what we wanted.
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    } catch (ExecutionException e) {
      throw new KafkaIngestException(
          "cannot check the Kafka topics " + topics + " at " + bootstrap + ": " + e.getCause(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaIngestException(
          "Kafka at " + bootstrap + " did not answer within " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaIngestException("interrupted while checking the Kafka topics", e);
    }
  }
}
