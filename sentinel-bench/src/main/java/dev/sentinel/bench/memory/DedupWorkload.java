package dev.sentinel.bench.memory;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.embeddings.MiniLmEmbedder;
import dev.sentinel.incident.CorrelationConfig;
import dev.sentinel.incident.Correlator;
import dev.sentinel.incident.DedupConfig;
import dev.sentinel.incident.InMemoryIncidentStore;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentListener;
import dev.sentinel.incident.SemanticDedup;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.memory.CachingEmbedder;
import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.InMemoryIncidentMemory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Alert-noise reduction and wrong merges of semantic deduplication on a generated workload of
 * repeated and related faults, with the real all-MiniLM-L6-v2 embedder.
 *
 * <p>Six services call each other (api → checkout → db, checkout → payments, api → search →
 * cache). A fault episode hits one service with its kind's symptoms; each caller of that service
 * shows knock-on latency (and errors, for error faults) with probability 0.7 — the same problem,
 * so joining it to the root's incident is right. Episodes start every 1–5 minutes and last 2–5, so
 * independent faults overlap — joining one of those to another's incident is a wrong merge. Faults
 * repeat (few kinds, few services). Every anomaly carries its episode in a label that grouping and
 * descriptions ignore; that is the ground truth.
 *
 * <p>Usage: {@code DedupWorkload [episodes] [seed]}. Prints, for label grouping alone and for each
 * threshold: incidents opened, the reduction, correct and wrong merges.
 */
public final class DedupWorkload {

  private static final Map<String, List<String>> CALLERS =
      Map.of(
          "checkout", List.of("api"),
          "db", List.of("checkout"),
          "payments", List.of("checkout"),
          "search", List.of("api"),
          "cache", List.of("search"),
          "api", List.of());
  private static final List<String> SERVICES = List.of("api", "checkout", "db", "payments", "search", "cache");
  private static final Map<String, List<String>> SYMPTOMS =
      Map.of(
          "latency-spike", List.of("latency_p99_ms"),
          "error-burst", List.of("error_rate"),
          "memory-leak", List.of("memory_used_bytes"),
          "saturation", List.of("cpu_usage", "queue_depth", "latency_p99_ms"),
          "bad-deploy", List.of("error_rate", "latency_p99_ms"));

  record Signal(Anomaly anomaly, int episode) {}

  public static void main(String[] args) {
    int episodes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    List<Signal> signals = generate(episodes, new Random(seed));
    System.out.printf("%d episodes, %d anomalies%n", episodes, signals.size());
    Embedder embedder = new CachingEmbedder(new MiniLmEmbedder(), 100_000);
    System.out.println("| grouping | incidents opened | reduction | merges right | merges wrong |");
    System.out.println("|---|---|---|---|---|");
    Result labels = run(signals, null, embedder);
    System.out.printf(Locale.ROOT, "| labels only (ideal: %d) | %d | — | — | — |%n", episodes, labels.opened);
    for (double threshold : new double[] {0.95, 0.9, 0.88, 0.85, 0.8}) {
      Result result = run(signals, new DedupConfig(true, threshold, 1800, 5), embedder);
      System.out.printf(
          Locale.ROOT,
          "| labels + meaning, threshold %.2f | %d | %.1f %% | %d | %d |%n",
          threshold,
          result.opened,
          100.0 * (labels.opened - result.opened) / labels.opened,
          result.right,
          result.wrong);
    }
  }

  record Result(int opened, int right, int wrong) {}

  private static Result run(List<Signal> signals, DedupConfig dedup, Embedder embedder) {
    InMemoryIncidentStore store = new InMemoryIncidentStore();
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger right = new AtomicInteger();
    AtomicInteger wrong = new AtomicInteger();
    IncidentListener listener =
        new IncidentListener() {
          @Override
          public void opened(Incident incident, Anomaly first) {
            opened.incrementAndGet();
          }

          @Override
          public void deduplicated(
              Incident incident, Anomaly anomaly, String groupKey, double similarity, String text) {
            String target = incident.anomalies().getFirst().series().label("episode");
            if (target.equals(anomaly.series().label("episode"))) {
              right.incrementAndGet();
            } else {
              wrong.incrementAndGet();
            }
          }
        };
    AtomicInteger ids = new AtomicInteger();
    SemanticDedup semantic =
        dedup == null
            ? null
            : new SemanticDedup(
                dedup, embedder, new InMemoryIncidentMemory(embedder.dimensions()), store);
    Correlator correlator =
        new Correlator(
            new CorrelationConfig(List.of("service"), 300, 60, 200),
            store,
            () -> "inc-" + ids.incrementAndGet(),
            listener,
            semantic);
    long nextSweep = signals.getFirst().anomaly().timestampMillis();
    for (Signal signal : signals) {
      while (signal.anomaly().timestampMillis() >= nextSweep) {
        correlator.sweep(nextSweep);
        nextSweep += 10_000;
      }
      correlator.accept(signal.anomaly());
    }
    return new Result(opened.get(), right.get(), wrong.get());
  }

  static List<Signal> generate(int episodes, Random random) {
    List<Signal> signals = new ArrayList<>();
    List<String> kinds = List.copyOf(new java.util.TreeSet<>(SYMPTOMS.keySet()));
    long start = 1_760_000_000_000L;
    for (int episode = 0; episode < episodes; episode++) {
      start += (60 + random.nextInt(240)) * 1000L;
      long end = start + (120 + random.nextInt(180)) * 1000L;
      String service = SERVICES.get(random.nextInt(SERVICES.size()));
      String kind = kinds.get(random.nextInt(kinds.size()));
      emit(signals, episode, service, SYMPTOMS.get(kind), start, end);
      for (String caller : CALLERS.get(service)) {
        if (random.nextDouble() < 0.7) {
          List<String> knockOn =
              SYMPTOMS.get(kind).contains("error_rate")
                  ? List.of("latency_p99_ms", "error_rate")
                  : List.of("latency_p99_ms");
          emit(signals, episode, caller, knockOn, start + 15_000, end);
        }
      }
    }
    signals.sort(Comparator.comparingLong(signal -> signal.anomaly().timestampMillis()));
    return signals;
  }

  private static void emit(
      List<Signal> signals, int episode, String service, List<String> metrics, long start, long end) {
    for (long at = start; at < end; at += 10_000) {
      for (int m = 0; m < metrics.size(); m++) {
        signals.add(
            new Signal(
                new Anomaly(
                    SeriesKey.of(
                        metrics.get(m),
                        Map.of("service", service, "host", service + "-1", "episode", "e" + episode)),
                    at + m * 1000L, 10, 0, 1, 5, 0.9, Direction.UP, Set.of(DetectorKind.ZSCORE)),
                episode));
      }
    }
  }
}
