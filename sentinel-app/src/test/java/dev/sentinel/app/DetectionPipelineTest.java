package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.config.BusConfig;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.detect.AnomalySink;
import dev.sentinel.detect.DetectionConfig;
import dev.sentinel.detect.DetectionEngine;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DetectionPipelineTest {

  private static final int SERIES = 24;
  private static final int POINTS = 3_000;
  private static final long START = 1_700_000_000_000L;
  private static final long STEP = 10_000;

  /** What a detector learned, read back as the scores it gives the same probe points. */
  private record Learned(double[] scores, long anomalies, long sinkCalls) {}

  private static Learned run(AnomalySink downstream) throws Exception {
    SeriesRegistry registry = new SeriesRegistry();
    AtomicLong calls = new AtomicLong();
    AnomalySink counting =
        anomaly -> {
          calls.incrementAndGet();
          downstream.accept(anomaly);
        };
    DetectionPipeline pipeline =
        new DetectionPipeline(
            new BusConfig(2, 1_000_000, BusConfig.IN_PROCESS, BusConfig.defaults().kafka()),
            DetectionConfig.builtIn(),
            registry,
            new LatestValues(),
            batch -> {},
            new AnomalyLog(100),
            counting,
            new PipelineMetrics(new SimpleMeterRegistry()));
    int[] ids = new int[SERIES];
    for (int s = 0; s < SERIES; s++) {
      ids[s] = registry.intern(SeriesKey.of("latency_ms", Map.of("service", "svc-" + s)));
    }
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < POINTS; i++) {
      PointBatch batch = new PointBatch(SERIES);
      for (int s = 0; s < SERIES; s++) {
        double value = 100 + s + random.nextGaussian() * 3;
        // Bursts and a lasting shift, so that the detectors report and the sink is called often.
        if (i % 400 > 380 || (s % 3 == 0 && i > 2_000)) {
          value += 60;
        }
        batch.add(ids[s], START + i * STEP, value);
      }
      pipeline.bus().publish(batch);
    }
    pipeline.bus().consumed().get(30, TimeUnit.SECONDS);
    double[] probes = new double[SERIES * 50];
    long anomalies = 0;
    for (DetectionEngine engine : pipeline.engines()) {
      anomalies += engine.anomaliesFound();
    }
    for (int s = 0; s < SERIES; s++) {
      DetectionEngine engine = pipeline.engines()[ids[s] % pipeline.engines().length];
      for (int p = 0; p < 50; p++) {
        probes[s * 50 + p] =
            engine.observe(ids[s], START + (POINTS + p) * STEP, 100 + s + (p % 5) * 8, a -> {});
      }
    }
    pipeline.close();
    return new Learned(probes, anomalies, calls.get());
  }

  @Test
  void a_downstream_that_throws_on_every_anomaly_changes_nothing_the_detectors_learn()
      throws Exception {
    Learned quiet = run(anomaly -> {});
    Learned throwing =
        run(
            anomaly -> {
              throw new IllegalStateException("the incident store is down");
            });

    assertThat(quiet.sinkCalls()).as("anomalies reached the sink").isGreaterThan(50);
    assertThat(throwing.sinkCalls()).isEqualTo(quiet.sinkCalls());
    assertThat(throwing.anomalies()).isEqualTo(quiet.anomalies());
    assertThat(throwing.scores()).containsExactly(quiet.scores());
  }

  @Test
  void sentinel_s_own_series_never_reach_the_incident_desk() throws Exception {
    SeriesRegistry registry = new SeriesRegistry();
    java.util.List<dev.sentinel.detect.Anomaly> desk =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    DetectionPipeline pipeline =
        new DetectionPipeline(
            new BusConfig(2, 1_000_000, BusConfig.IN_PROCESS, BusConfig.defaults().kafka()),
            DetectionConfig.builtIn(),
            registry,
            new LatestValues(),
            batch -> {},
            new AnomalyLog(100),
            desk::add,
            new PipelineMetrics(new SimpleMeterRegistry()));
    // The same values under Sentinel's own name and under another: a queue that fills at once.
    int own =
        registry.intern(SeriesKey.of("sentinel_bus_queued_points", Map.of("job", "sentinel")));
    int other = registry.intern(SeriesKey.of("bus_queued_points", Map.of("job", "sentinel")));
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 600; i++) {
      double value = (i < 500 ? 1_000 : 90_000) + random.nextGaussian() * 20;
      PointBatch batch = new PointBatch(2);
      batch.add(own, START + i * STEP, value);
      batch.add(other, START + i * STEP, value);
      pipeline.bus().publish(batch);
    }
    pipeline.bus().consumed().get(30, TimeUnit.SECONDS);
    pipeline.close();

    assertThat(desk).isNotEmpty();
    assertThat(desk)
        .allSatisfy(anomaly -> assertThat(anomaly.series().name()).isEqualTo("bus_queued_points"));
  }
}
