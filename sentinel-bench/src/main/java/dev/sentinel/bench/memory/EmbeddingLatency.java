package dev.sentinel.bench.memory;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.embeddings.MiniLmEmbedder;
import dev.sentinel.incident.IncidentDescription;
import dev.sentinel.ingest.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Embedding latency per incident with all-MiniLM-L6-v2 (quantised) in process: the description of a
 * generated incident (one to six anomalous metrics of one service), embedded once each, every text
 * different so no cache helps. Usage: {@code EmbeddingLatency [incidents] [warm-up]}.
 */
public final class EmbeddingLatency {

  private static final String[] SERVICES = {"api", "checkout", "db", "cache", "search", "payments"};
  private static final String[] METRICS = {
    "latency_p99_ms",
    "error_rate",
    "cpu_usage",
    "memory_used_bytes",
    "queue_depth",
    "request_rate",
    "gc_pause_ms",
    "disk_io_wait"
  };

  public static void main(String[] args) {
    int incidents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    long loading = System.nanoTime();
    MiniLmEmbedder embedder = new MiniLmEmbedder();
    System.out.printf("model loaded in %.0f ms%n", (System.nanoTime() - loading) / 1e6);
    List<String> texts = descriptions(incidents + warmUp, new Random(7));
    for (int i = 0; i < warmUp; i++) {
      embedder.embed(texts.get(i));
    }
    long[] nanos = new long[incidents];
    for (int i = 0; i < incidents; i++) {
      long start = System.nanoTime();
      embedder.embed(texts.get(warmUp + i));
      nanos[i] = System.nanoTime() - start;
    }
    System.out.println("embedding per incident: " + Percentiles.of(nanos));
  }

  static List<String> descriptions(int count, Random random) {
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String service = SERVICES[random.nextInt(SERVICES.length)];
      int metrics = 1 + random.nextInt(6);
      List<Anomaly> anomalies = new ArrayList<>();
      for (int m = 0; m < metrics; m++) {
        anomalies.add(
            new Anomaly(
                SeriesKey.of(METRICS[random.nextInt(METRICS.length)], Map.of("service", service)),
                i,
                1,
                0,
                1,
                5,
                0.9,
                random.nextBoolean() ? Direction.UP : Direction.DOWN,
                Set.of(DetectorKind.ZSCORE)));
      }
      // The region label makes every text distinct, as real incidents' labels do.
      texts.add(IncidentDescription.of(Map.of("service", service, "region", "r" + i), anomalies));
    }
    return texts;
  }
}
