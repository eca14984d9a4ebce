package dev.sentinel.app;

import dev.sentinel.detect.AnomalySink;
import dev.sentinel.detect.DetectionEngine;
import dev.sentinel.history.StoredPoint;
import dev.sentinel.history.TelemetryStore;
import dev.sentinel.history.TimeRange;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.kafka.DetectorWarmUp;
import dev.sentinel.kafka.OwnedPartition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the detectors of a Kafka partition this instance has just been given from the telemetry
 * store: the recent points of each of its series are fed to the series' detector, and whatever they
 * would have flagged is discarded (it was judged, if at all, by the previous owner).
 *
 * <p>Threading: reads the store on the Kafka consumer's thread, and hands each page to the series'
 * detection engine on the engine's own partition thread ({@link DetectionPipeline#withEngine}), in
 * order with the batches queued there: an engine is confined to its thread and needs no lock. The
 * consumer waits for each page, so one page per partition is in memory at a time, and the
 * partition's own records are consumed only after its warm-up. Series the engine already knows are
 * skipped: they kept their state (the partition came back), and older points after newer ones would
 * move them back in time.
 */
final class StoreWarmUp implements DetectorWarmUp {

  private static final Logger log = LoggerFactory.getLogger(StoreWarmUp.class);

  /** Points read per query; a series with more in the window is read in several pages. */
  private static final int PAGE = 10_000;

  private static final AnomalySink DISCARD = anomaly -> {};

  /** How long a page may wait for its partition thread before the warm-up gives up. */
  private static final long PAGE_TIMEOUT_SECONDS = 60;

  private final TelemetryStore store;
  private final SeriesRegistry registry;
  private final DetectionPipeline detection;
  private final Clock clock;
  private final Duration window;
  private final Counter series;
  private final Counter points;

  StoreWarmUp(
      TelemetryStore store,
      SeriesRegistry registry,
      DetectionPipeline detection,
      Clock clock,
      Duration window,
      MeterRegistry meters) {
    this.store = store;
    this.registry = registry;
    this.detection = detection;
    this.clock = clock;
    this.window = window;
    this.series =
        Counter.builder("sentinel.kafka.warmup.series")
            .description("Series whose detectors were warmed from the telemetry store")
            .register(meters);
    this.points =
        Counter.builder("sentinel.kafka.warmup.points")
            .description("Stored points fed to detectors on partition assignment")
            .register(meters);
  }

  @Override
  public void warm(OwnedPartition partition) {
    long started = System.nanoTime();
    long to = clock.millis() + 1;
    long from = Math.max(0, to - window.toMillis());
    int warmed = 0;
    long fed = 0;
    for (SeriesKey key : store.series()) {
      if (!partition.owns(key)) {
        continue;
      }
      int id = registry.intern(key);
      long count = feed(id, key, from, to);
      if (count > 0) {
        warmed++;
        fed += count;
      }
    }
    series.increment(warmed);
    points.increment(fed);
    log.info(
        "warmed the detectors of {} series of {}-{} from {} stored points of the last {} in {} ms",
        warmed,
        partition.topic(),
        partition.partition(),
        fed,
        window,
        (System.nanoTime() - started) / 1_000_000);
  }

  private long feed(int id, SeriesKey key, long from, long to) {
    if (onItsThread(id, key, engine -> engine.knows(id))) {
      return 0;
    }
    long fed = 0;
    long next = from;
    while (next < to) {
      List<StoredPoint> page = store.points(key, TimeRange.of(next, to), PAGE);
      if (page.isEmpty()) {
        break;
      }
      onItsThread(
          id,
          key,
          engine -> {
            for (StoredPoint point : page) {
              engine.observe(id, point.timestampMillis(), point.value(), DISCARD);
            }
            return Boolean.TRUE;
          });
      fed += page.size();
      if (page.size() < PAGE) {
        break;
      }
      next = page.getLast().timestampMillis() + 1;
    }
    return fed;
  }

  /** Runs {@code work} on the series' engine, on its thread, and waits for it. */
  private boolean onItsThread(int id, SeriesKey key, Function<DetectionEngine, Boolean> work) {
    try {
      return detection.withEngine(id, work).get(PAGE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while warming the detectors of " + key, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "the detectors of " + key + " could not be warmed: " + e.getMessage(), e);
    }
  }
}
