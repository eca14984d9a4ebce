package dev.sentinel.kafka;

import dev.sentinel.ingest.BatchTooLargeException;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.ingest.TelemetryBus;
import dev.sentinel.trace.RequestIds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The edge side of the Kafka bus: a {@link TelemetryBus} that writes each batch to the telemetry
 * topic, so the HTTP endpoint publishes there instead of to the in-process bus, unchanged.
 *
 * <p>Keying: the points of a batch are grouped by the partition their series belongs to ({@link
 * SeriesPartitioner}, the default partitioner's choice for the series key text), one record per
 * partition, sent to that partition. A record that holds a single series is keyed by its text.
 *
 * <p>A batch is accepted once Kafka has acknowledged all its records ({@code acks=all}), so an HTTP
 * 202 means the points are in Kafka. Back-pressure: at most {@code capacityPoints} points wait for
 * acknowledgements at once; beyond that {@link #tryPublish} refuses (HTTP 429). A failed send
 * throws {@link KafkaIngestException}: part of the batch may be in Kafka, and the sender's retry
 * may duplicate it, which at-least-once allows. Thread-safe.
 */
public final class KafkaTelemetryPublisher implements TelemetryBus {

  private final Producer<String, byte[]> producer;

  /** Record header naming the HTTP request whose points a record holds (when there was one). */
  public static final String REQUEST_ID_HEADER = RequestIds.HEADER;

  private final String topic;
  private final SeriesRegistry registry;
  private final int capacity;
  private final Semaphore budget;
  private final PointJson json = new PointJson();
  private final AtomicLong nonFiniteSkipped = new AtomicLong();
  private volatile SeriesPartitioner partitioner;
  private volatile boolean closed;

  public KafkaTelemetryPublisher(
      String bootstrap,
      String topic,
      SeriesRegistry registry,
      int capacityPoints,
      Map<String, String> clientProperties) {
    if (capacityPoints < 1) {
      throw new IllegalArgumentException("capacityPoints must be >= 1, was " + capacityPoints);
    }
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // An HTTP sender waits for the acknowledgement: fail within half a minute rather than two.
    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.CLIENT_ID_CONFIG, "sentinel-publisher");
    properties.putAll(clientProperties);
    this.producer = new KafkaProducer<>(properties);
    this.topic = topic;
    this.registry = registry;
    this.capacity = capacityPoints;
    this.budget = new Semaphore(capacityPoints);
  }

  @Override
  public boolean tryPublish(int points, Supplier<PointBatch> build) {
    if (admissible(points) == 0) {
      return true;
    }
    if (!budget.tryAcquire(points)) {
      return false;
    }
    try {
      send(PointBatch.built(build, points));
    } finally {
      budget.release(points);
    }
    return true;
  }

  @Override
  public void publish(PointBatch batch) throws InterruptedException {
    int points = admissible(batch);
    if (points == 0) {
      return;
    }
    budget.acquire(points);
    try {
      send(batch);
    } finally {
      budget.release(points);
    }
  }

  private int admissible(PointBatch batch) {
    return admissible(batch.size());
  }

  private int admissible(int points) {
    if (closed) {
      throw new IllegalStateException("the Kafka publisher is closed");
    }
    if (points > capacity) {
      throw new BatchTooLargeException(points, capacity);
    }
    return points;
  }

  private void send(PointBatch batch) {
    SeriesPartitioner current = partitioner();
    PointBatch[] parts = new PointBatch[current.partitions()];
    int[] firstSeries = new int[parts.length];
    boolean[] mixed = new boolean[parts.length];
    for (int i = 0, size = batch.size(); i < size; i++) {
      int id = batch.seriesId(i);
      int p = current.partitionOf(id);
      if (parts[p] == null) {
        parts[p] = new PointBatch(Math.max(16, size / parts.length));
        firstSeries[p] = id;
      } else if (firstSeries[p] != id) {
        mixed[p] = true;
      }
      parts[p].add(id, batch.timestamp(i), batch.value(i));
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    // The HTTP request that brought these points, so a consumer's log can name it.
    String mdc = RequestIds.current();
    byte[] requestId = mdc == null ? null : mdc.getBytes(StandardCharsets.UTF_8);
    for (int p = 0; p < parts.length; p++) {
      if (parts[p] == null) {
        continue;
      }
      PointJson.Encoded encoded = json.encode(parts[p], registry);
      nonFiniteSkipped.addAndGet(encoded.skipped());
      if (encoded.points() == 0) {
        continue;
      }
      String key = mixed[p] ? null : registry.text(firstSeries[p]);
      ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, p, key, encoded.json());
      if (requestId != null) {
        record.headers().add(REQUEST_ID_HEADER, requestId);
      }
      acks.add(producer.send(record));
    }
    try {
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaIngestException("interrupted while publishing to topic '" + topic + "'", e);
    } catch (ExecutionException e) {
      throw new KafkaIngestException(
          "publishing " + batch.size() + " points to topic '" + topic + "' failed", e.getCause());
    }
  }

  /** The partitioner for the topic's current partition count (cached by the producer). */
  private SeriesPartitioner partitioner() {
    int count = producer.partitionsFor(topic).size();
    SeriesPartitioner current = partitioner;
    if (current == null || current.partitions() != count) {
      current = new SeriesPartitioner(registry, count);
      partitioner = current;
    }
    return current;
  }

  /** Points left out because their value was NaN or infinite (JSON cannot carry them). */
  public long nonFiniteSkipped() {
    return nonFiniteSkipped.get();
  }

  /** Points waiting for Kafka's acknowledgement. */
  @Override
  public long queuedPoints() {
    return capacity - budget.availablePermits();
  }

  @Override
  public long capacityPoints() {
    return capacity;
  }

  @Override
  public int partitions() {
    return partitioner().partitions();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      producer.close();
    }
  }
}
