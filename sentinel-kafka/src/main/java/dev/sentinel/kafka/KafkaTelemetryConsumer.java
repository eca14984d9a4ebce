package dev.sentinel.kafka;

import dev.sentinel.ingest.SeriesRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the telemetry topic as one member of a consumer group and hands the points on to a {@link
 * PointSink}, at least once.
 *
 * <ul>
 *   <li>Offsets are committed (every {@code commitInterval}, on revocation and on close) only up to
 *       records whose points the sink has taken and made durable ({@link PointSink#durable}), or
 *       that went to the dead-letter topic. After a crash the group re-reads from there: points may
 *       arrive twice, none is skipped.
 *   <li>When the sink refuses, the partition is paused and the same batch is offered again every
 *       {@code retryBackoff}; the partition resumes once everything it holds is handed on. What it
 *       holds meanwhile is at most one poll's records.
 *   <li>A newly assigned partition is warmed ({@link DetectorWarmUp}) in the rebalance callback,
 *       before any of its records is handed on.
 * </ul>
 *
 * <p>Threading: one platform thread owns the Kafka consumer and calls the decoder, the sink and the
 * warm-up; {@link #close} may be called from any thread.
 */
public final class KafkaTelemetryConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaTelemetryConsumer.class);
  private static final Duration LAG_INTERVAL = Duration.ofSeconds(1);

  /**
   * How long a revocation or a close waits for the sink to make what it took durable before it
   * commits; past that it commits nothing, and the partition's next owner reads those records
   * again.
   */
  private static final Duration DURABLE_WAIT = Duration.ofSeconds(30);

  private final KafkaIngestConfig config;
  private final Consumer<byte[], byte[]> consumer;
  private final DeadLetters deadLetters;
  private final HandOff handOff;
  private final PointSink sink;
  private final DetectorWarmUp warmUp;
  private final KafkaIngestMetrics metrics;
  private final Map<Integer, PartitionState> owned = new TreeMap<>();
  private final Thread thread;
  private volatile boolean running;
  private volatile Throwable failure;
  private boolean closedUnstarted;
  private long nextCommit;
  private long nextLag;
  // A periodic commit in flight: the offsets handed on when it began, committed once the sink
  // says their points are durable. Confined to the consumer's thread.
  private Map<Integer, Long> awaiting;
  private CompletableFuture<Void> awaitingDurable;

  public KafkaTelemetryConsumer(
      KafkaIngestConfig config,
      RecordDecoder decoder,
      PointSink sink,
      DetectorWarmUp warmUp,
      SeriesRegistry registry,
      MeterRegistry meters) {
    this.config = config;
    this.warmUp = warmUp;
    this.sink = sink;
    this.metrics = new KafkaIngestMetrics(meters, config.topic());
    this.consumer = new KafkaConsumer<>(consumerProperties(config));
    this.deadLetters =
        new DeadLetters(
            new KafkaProducer<>(deadLetterProperties(config)),
            config.deadLetterTopic(),
            config.groupId());
    this.handOff =
        new HandOff(decoder, sink, deadLetters, metrics, registry, config.maxHandOffPoints());
    this.thread = Thread.ofPlatform().name("sentinel-kafka-" + config.topic()).unstarted(this::run);
  }

  private static Properties consumerProperties(KafkaIngestConfig config) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // A new group reads the topic from its start: skipping what is there would lose points.
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "sentinel-" + config.groupId());
    properties.putAll(config.clientProperties());
    return properties;
  }

  private static Properties deadLetterProperties(KafkaIngestConfig config) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    properties.put(ProducerConfig.CLIENT_ID_CONFIG, "sentinel-" + config.groupId() + "-dlq");
    config
        .clientProperties()
        .forEach(
            (key, value) -> {
              if (ProducerConfig.configNames().contains(key)) {
                properties.put(key, value);
              }
            });
    return properties;
  }

  /** Joins the group and starts consuming on its own thread. */
  public synchronized KafkaTelemetryConsumer start() {
    if (closedUnstarted) {
      throw new IllegalStateException("the consumer is closed");
    }
    running = true;
    thread.start();
    return this;
  }

  /** Whether the consumer thread is still consuming (false after close or a failure). */
  public boolean isRunning() {
    return running && thread.isAlive();
  }

  /** What stopped the consumer, when it stopped by itself. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  private void run() {
    try {
      consumer.subscribe(List.of(config.topic()), new Rebalance());
      while (running) {
        boolean blocked = retryPaused();
        ConsumerRecords<byte[], byte[]> records =
            consumer.poll(blocked ? config.retryBackoff() : config.pollTimeout());
        for (TopicPartition partition : records.partitions()) {
          PartitionState state = owned.get(partition.partition());
          var batch = records.records(partition);
          if (state.handed < 0) {
            // Where the group stands already (or where the reset put it): nothing new to commit.
            state.handed = state.committed = batch.getFirst().offset();
          }
          state.backlog.addAll(batch);
          if (!handOff.drain(state)) {
            pause(state);
          }
        }
        long now = System.nanoTime();
        if (awaitingDurable != null && awaitingDurable.isDone()) {
          commitAwaited();
        }
        if (awaitingDurable == null && now - nextCommit >= 0) {
          awaitDurable();
          nextCommit = now + config.commitInterval().toNanos();
        }
        if (now - nextLag >= 0) {
          refreshLag();
          nextLag = now + LAG_INTERVAL.toNanos();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
        log.error("the Kafka consumer of '{}' was woken up unexpectedly", config.topic(), e);
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      log.error(
          "the Kafka consumer of '{}' stopped; uncommitted records will be read again by the group",
          config.topic(),
          e);
    } finally {
      running = false;
      commitOnExit();
      consumer.close(); // leaves the group; the revocation callback finds nothing new to commit
      deadLetters.close();
    }
  }

  private void commitOnExit() {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        commitDurably(owned.values());
        return;
      } catch (WakeupException e) {
        // The wake-up of close() was still pending and is consumed now: the second try commits.
      } catch (RuntimeException e) {
        log.warn("committing on close failed; the group will re-read those records", e);
        return;
      }
    }
  }

  /** Offers what paused partitions hold again; true while any partition stays blocked. */
  private boolean retryPaused() {
    boolean blocked = false;
    for (PartitionState state : owned.values()) {
      if (!state.paused) {
        continue;
      }
      if (handOff.drain(state)) {
        consumer.resume(List.of(new TopicPartition(config.topic(), state.partition)));
        state.paused = false;
      } else {
        blocked = true;
      }
    }
    return blocked;
  }

  private void pause(PartitionState state) {
    if (!state.paused) {
      consumer.pause(List.of(new TopicPartition(config.topic(), state.partition)));
      state.paused = true;
      metrics.pauses.increment();
    }
  }

  /** The handed-on offsets of {@code states} that moved since their last commit. */
  private static Map<Integer, Long> moved(Collection<PartitionState> states) {
    Map<Integer, Long> offsets = new HashMap<>();
    for (PartitionState state : states) {
      if (state.handed >= 0 && state.handed != state.committed) {
        offsets.put(state.partition, state.handed);
      }
    }
    return offsets;
  }

  /** Starts a periodic commit: notes what was handed on and asks the sink to make it durable. */
  private void awaitDurable() {
    Map<Integer, Long> offsets = moved(owned.values());
    if (!offsets.isEmpty()) {
      awaiting = offsets;
      awaitingDurable = sink.durable();
    }
  }

  /** Finishes a periodic commit whose points are durable (or gives it up if the sink failed). */
  private void commitAwaited() {
    Map<Integer, Long> offsets = awaiting;
    CompletableFuture<Void> durable = awaitingDurable;
    awaiting = null;
    awaitingDurable = null;
    if (durable.isCompletedExceptionally()) {
      log.warn(
          "the points of {} did not become durable; not committing, the group will read them again",
          offsets.keySet(),
          durable.exceptionNow());
      return;
    }
    commit(offsets);
  }

  /**
   * Commits what {@code states} handed on once it is durable, waiting up to {@link #DURABLE_WAIT}:
   * for a revocation and a close, which cannot come back later. Commits nothing when the wait
   * fails.
   */
  private void commitDurably(Collection<PartitionState> states) {
    Map<Integer, Long> offsets = moved(states);
    if (offsets.isEmpty()) {
      return;
    }
    try {
      sink.durable().get(DURABLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn(
          "interrupted while waiting to commit {}; the group will read them again",
          offsets.keySet());
      return;
    } catch (ExecutionException | TimeoutException e) {
      log.warn(
          "the points of {} did not become durable within {}; not committing, the group will read"
              + " them again",
          offsets.keySet(),
          DURABLE_WAIT,
          e);
      return;
    }
    commit(offsets);
  }

  /**
   * Commits offsets of partitions this consumer still owns, where they move forward; a failed
   * commit is logged (the group re-reads).
   */
  private void commit(Map<Integer, Long> offsets) {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    offsets.forEach(
        (partition, offset) -> {
          PartitionState state = owned.get(partition);
          if (state != null && offset > state.committed) {
            commits.put(
                new TopicPartition(config.topic(), partition), new OffsetAndMetadata(offset));
          }
        });
    if (commits.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(commits);
      offsets.forEach(
          (partition, offset) -> {
            PartitionState state = owned.get(partition);
            if (state != null && offset > state.committed) {
              state.committed = offset;
            }
          });
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      log.warn("committing {} failed; those records will be read again", commits.keySet(), e);
    }
  }

  /** Lag = the partition's end offset minus the next offset not yet handed on. */
  private void refreshLag() {
    if (owned.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> ends;
    try {
      ends =
          consumer.endOffsets(
              owned.keySet().stream().map(p -> new TopicPartition(config.topic(), p)).toList(),
              Duration.ofSeconds(2));
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      log.debug("reading end offsets for the lag gauge failed", e);
      return;
    }
    for (PartitionState state : owned.values()) {
      TopicPartition partition = new TopicPartition(config.topic(), state.partition);
      if (state.handed < 0 && state.idle()) {
        state.handed = state.committed = consumer.position(partition, Duration.ofSeconds(2));
      }
      Long end = ends.get(partition);
      if (end != null && state.handed >= 0) {
        state.lag.set(Math.max(0, end - state.handed));
      }
    }
  }

  /** Runs inside poll(), on the consumer thread. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      List<PartitionState> revoked =
          partitions.stream().map(p -> owned.get(p.partition())).filter(s -> s != null).toList();
      // What was handed on is committed once durable; what was read but not handed on is dropped
      // here and read again by the partition's next owner.
      commitDurably(revoked);
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions); // another member may own them already: committing could move its offsets
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      int count = consumer.partitionsFor(config.topic()).size();
      handOff.partitionCount(count);
      for (TopicPartition partition : partitions) {
        PartitionState state = new PartitionState(partition.partition());
        state.lagGauge = metrics.lag(partition.partition(), state.lag);
        owned.put(partition.partition(), state);
        OwnedPartition assigned = new OwnedPartition(config.topic(), partition.partition(), count);
        long started = System.nanoTime();
        try {
          warmUp.warm(assigned);
          log.info(
              "assigned {}-{}; detectors warmed in {} ms",
              config.topic(),
              partition.partition(),
              (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
          metrics.warmUpFailures.increment();
          log.warn(
              "warming the detectors of {}-{} failed; they start cold",
              config.topic(),
              partition.partition(),
              e);
        }
      }
      nextLag = System.nanoTime(); // report the new partitions' lag at the next turn
    }

    private void forget(Collection<TopicPartition> partitions) {
      for (TopicPartition partition : partitions) {
        PartitionState state = owned.remove(partition.partition());
        if (state != null && state.lagGauge != null) {
          metrics.remove(state.lagGauge);
        }
      }
    }
  }

  /** Stops consuming, commits what was handed on and leaves the group. Idempotent. */
  @Override
  public synchronized void close() {
    if (thread.getState() == Thread.State.NEW) {
      if (!closedUnstarted) {
        closedUnstarted = true;
        consumer.close();
        deadLetters.close();
      }
      return;
    }
    running = false;
    if (thread.isAlive() && Thread.currentThread() != thread) {
      consumer.wakeup();
      try {
        thread.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
