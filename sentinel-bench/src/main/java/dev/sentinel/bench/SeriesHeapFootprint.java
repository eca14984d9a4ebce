package dev.sentinel.bench;

import dev.sentinel.detect.DetectionConfig;
import dev.sentinel.detect.DetectionEngine;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the heap that detection state takes per series: registers N series (1,000,000 by
 * default), feeds each of them enough points to pass every warm-up, forces collection, and reports
 * the growth of the used heap per series, for the registry, the latest values and the engine
 * separately.
 *
 * <p>It counts what a live series costs in the running app, built the way the app builds it: each
 * key is made of fresh strings, as a decoder makes them from the bytes it parsed (sharing string
 * literals across a million keys would hide what the registry keeps per series); every point is
 * recorded in {@link LatestValues} before the engine sees it, as the app's partition consumer does.
 * The harness's own id array is allocated before the first reading, so it is not counted. One
 * engine holds every series; the app runs one per partition, and each of them keeps a 4-byte
 * id-to-slot entry for every registered id, so P partitions add 4 (P - 1) bytes per series.
 *
 * <p>Run with a heap large enough that nothing else interferes, e.g. {@code java -Xmx4g -cp
 * sentinel-bench/target/benchmarks.jar dev.sentinel.bench.SeriesHeapFootprint 1000000 40}.
 */
public final class SeriesHeapFootprint {

  private static final long START = 1_704_067_200_000L;
  private static final long MINUTE = 60_000L;

  private SeriesHeapFootprint() {}

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int points = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    int[] ids = new int[count];
    long before = usedAfterGc(memory);
    SeriesRegistry registry = new SeriesRegistry();
    for (int i = 0; i < count; i++) {
      ids[i] = registry.intern(decodedKey(i));
    }
    long afterRegistry = usedAfterGc(memory);

    LatestValues latest = new LatestValues();
    for (int i = 0; i < count; i++) {
      latest.record(ids[i], START, 1);
    }
    long afterLatest = usedAfterGc(memory);

    DetectionEngine engine = new DetectionEngine(DetectionConfig.builtIn(), registry);
    PointBatch batch = new PointBatch(count);
    long startNanos = System.nanoTime();
    for (int round = 0; round < points; round++) {
      batch.clear();
      for (int i = 0; i < count; i++) {
        batch.add(ids[i], START + round * MINUTE, 100 + ((i * 31 + round * 17) % 13));
      }
      latest.record(batch);
      engine.observe(batch, anomaly -> {});
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    batch = null;
    long afterEngine = usedAfterGc(memory);

    double registryPerSeries = (afterRegistry - before) / (double) count;
    double latestPerSeries = (afterLatest - afterRegistry) / (double) count;
    double enginePerSeries = (afterEngine - afterLatest) / (double) count;
    System.out.printf(
        Locale.ROOT,
        "series=%d points/series=%d engine.seriesCount=%d points=%d (%.1f M points/s incl."
            + " batch filling and latest values)%n",
        count,
        points,
        engine.seriesCount(),
        engine.pointsObserved(),
        engine.pointsObserved() / seconds / 1e6);
    System.out.printf(Locale.ROOT, "registry: %.0f bytes per series%n", registryPerSeries);
    System.out.printf(Locale.ROOT, "latest:   %.0f bytes per series%n", latestPerSeries);
    System.out.printf(Locale.ROOT, "engine:   %.0f bytes per series%n", enginePerSeries);
    System.out.printf(
        Locale.ROOT,
        "total:    %.0f bytes per series%n",
        registryPerSeries + latestPerSeries + enginePerSeries);
    // Keep everything alive until measured.
    if (registry.size() + engine.seriesCount() < 0 || latest.time(0) < 0) {
      System.out.println();
    }
  }

  /**
   * The key of series {@code i}, from fresh strings: a decoder builds the name, each label name and
   * each value from the bytes of the request, so none of them is shared with other series.
   */
  private static SeriesKey decodedKey(int i) {
    String name = new String("latency_ms".toCharArray());
    String label = new String("pod".toCharArray());
    return SeriesKey.of(name, Map.of(label, "pod-" + i));
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for GC", e);
      }
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
