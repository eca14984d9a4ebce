package dev.sentinel.bench;

import dev.sentinel.detect.AnomalySink;
import dev.sentinel.detect.DetectionConfig;
import dev.sentinel.detect.DetectionEngine;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Points per second through one {@link DetectionEngine} with every detector on: 10,000 series fed
 * round-robin, one point per series per batch, one minute apart, values a daily wave plus noise
 * with an occasional spike. The engine is warmed past every warm-up (including two days of the
 * seasonal profile) before measuring, so the measured path is the steady state.
 *
 * <p>Run: {@code java -jar sentinel-bench/target/benchmarks.jar DetectionEngineBenchmark -f 1 -wi 2
 * -i 3}. The score is in points per second (one operation = one point).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DetectionEngineBenchmark {

  static final int SERIES = 10_000;
  private static final long START = 1_704_067_200_000L;
  private static final long MINUTE = 60_000L;
  private static final int PATTERNS = 64;

  @Param({"10000"})
  int series;

  /** The default likelihood decision, and the threshold decision it replaced, side by side. */
  @Param({"LIKELIHOOD", "THRESHOLD"})
  String decision;

  private DetectionEngine engine;
  private PointBatch batch;
  private double[][] noise;
  private long round;
  private long anomalies;
  private final AnomalySink sink = anomaly -> anomalies++;

  @Setup
  public void setUp() {
    SeriesRegistry registry = new SeriesRegistry();
    for (int i = 0; i < series; i++) {
      registry.intern(SeriesKey.of("cpu_usage", java.util.Map.of("host", "h" + i)));
    }
    engine =
        new DetectionEngine(
            new DetectionConfig(
                dev.sentinel.detect.MetricDetection.defaults()
                    .withDecision(dev.sentinel.detect.Decision.valueOf(decision)),
                java.util.List.of()),
            registry);
    batch = new PointBatch(series);
    SplittableRandom random = new SplittableRandom(1);
    noise = new double[PATTERNS][series];
    for (double[] row : noise) {
      for (int i = 0; i < series; i++) {
        row[i] = random.nextGaussian() + (random.nextInt(1000) == 0 ? 12 : 0);
      }
    }
    // Two days and a bit, so every detector including the seasonal profile is warm.
    for (int r = 0; r < 2 * 24 * 60 + 60; r++) {
      fill();
      engine.observe(batch, sink);
    }
  }

  @Setup(Level.Invocation)
  public void fill() {
    batch.clear();
    long timestamp = START + round * MINUTE;
    double daily = 10 * Math.sin(2 * Math.PI * (round % 1440) / 1440.0);
    double[] row = noise[(int) (round % PATTERNS)];
    for (int i = 0; i < series; i++) {
      batch.add(i, timestamp, 100 + daily + row[i]);
    }
    round++;
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public long observeBatch() {
    engine.observe(batch, sink);
    return anomalies;
  }
}
