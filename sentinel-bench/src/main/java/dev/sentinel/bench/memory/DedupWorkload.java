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
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Alert-noise reduction and wrong merges of semantic deduplication on a generated workload of
 * repeated and related faults, with the real all-MiniLM-L6-v2 embedder.
 *
 * <p>Six services call each other (api → checkout → db, checkout → payments, api → search → cache).
 * A fault episode hits one service with its kind's symptoms; each caller of that service shows
 * knock-on latency (and errors, for error faults) with probability 0.7 — the same problem, so
 * joining it to the root's incident is right. Episodes start every 1–5 minutes and last 2–5, so
 * independent faults overlap — joining one of those to another's incident is a wrong merge. Faults
 * repeat (few kinds, few services). Every anomaly carries its episode in a label that grouping and
 * descriptions ignore; that is the ground truth.
 *
 * <p>A page is an incident opened or reopened. Ideally each episode pages exactly once. An episode
 * that never pages was merged into another episode's incident — by labels (its service already had
 * an open incident) or by meaning — so a truly new problem went unnoticed: a wrong merge. Pages
 * beyond the first of an episode are noise (knock-on effects paging separately).
 *
 * <p>With regions (a sixth argument, default 1), every service runs in that many regions, each its
 * own label group ({@code service=checkout-eu}); callers are in the caller's region. Half of the
 * episodes then have a cause shared by the regions (a bad config pushed everywhere, a shared
 * dependency): the same symptoms in every region of the service within 20 s, one problem that
 * labels alone page once per region. The other half hit one region.
 *
 * <p>Usage: {@code DedupWorkload [episodes] [seed] [least gap s] [most gap s] [window s]
 * [regions]}: episodes start every least..most seconds (default 60..300: they overlap often). A
 * fifth argument sets {@code memory.dedup.windowSeconds} (default 1800).
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
  private static final List<String> SERVICES =
      List.of("api", "checkout", "db", "payments", "search", "cache");
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
    int leastGap = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    int mostGap = args.length > 3 ? Integer.parseInt(args[3]) : 300;
    long window = args.length > 4 ? Long.parseLong(args[4]) : 1800;
    int regions = args.length > 5 ? Integer.parseInt(args[5]) : 1;
    List<Signal> signals = generate(episodes, new Random(seed), leastGap, mostGap, regions);
    System.out.printf(
        "%d episodes every %d..%d s in %d region(s), %d anomalies, dedup window %d s%n",
        episodes, leastGap, mostGap, regions, signals.size(), window);
    Embedder embedder = new CachingEmbedder(new MiniLmEmbedder(), 100_000);
    System.out.println(
        "| grouping | pages | noise pages | episodes merged into another's incident (wrong) |"
            + " joins by meaning: same episode / another |");
    System.out.println("|---|---|---|---|---|");
    print("labels only", run(signals, null, embedder));
    for (double threshold : new double[] {0.95, 0.9, 0.85, 0.8, 0.75}) {
      print(
          String.format(Locale.ROOT, "labels + meaning ≥ %.2f", threshold),
          run(signals, new DedupConfig(true, threshold, window, 5), embedder));
    }
  }

  private static void print(String name, Result result) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %d | %d | %d / %d |%n",
        name,
        result.pages,
        result.pages - result.episodesPaged,
        result.episodes - result.episodesPaged,
        result.right,
        result.wrong);
  }

  record Result(int pages, int episodes, int episodesPaged, int right, int wrong) {}

  private static Result run(List<Signal> signals, DedupConfig dedup, Embedder embedder) {
    InMemoryIncidentStore store = new InMemoryIncidentStore();
    AtomicInteger opened = new AtomicInteger();
    java.util.Set<String> paged = new java.util.HashSet<>();
    java.util.Set<String> all = new java.util.HashSet<>();
    signals.forEach(signal -> all.add("e" + signal.episode()));
    AtomicInteger right = new AtomicInteger();
    AtomicInteger wrong = new AtomicInteger();
    IncidentListener listener =
        new IncidentListener() {
          @Override
          public void opened(Incident incident, Anomaly first) {
            opened.incrementAndGet();
            paged.add(first.series().label("episode"));
          }

          @Override
          public void reopened(Incident incident, Anomaly anomaly) {
            opened.incrementAndGet();
            paged.add(anomaly.series().label("episode"));
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
    Optional<SemanticDedup> semantic =
        dedup == null
            ? Optional.empty()
            : Optional.of(
                new SemanticDedup(
                    dedup, embedder, new InMemoryIncidentMemory(embedder.dimensions()), store));
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
    return new Result(opened.get(), all.size(), paged.size(), right.get(), wrong.get());
  }

  private static final List<String> REGIONS = List.of("eu", "us", "ap", "sa");

  static List<Signal> generate(
      int episodes, Random random, int leastGap, int mostGap, int regions) {
    List<Signal> signals = new ArrayList<>();
    List<String> kinds = List.copyOf(new java.util.TreeSet<>(SYMPTOMS.keySet()));
    long start = 1_760_000_000_000L;
    for (int episode = 0; episode < episodes; episode++) {
      start += (leastGap + random.nextInt(Math.max(1, mostGap - leastGap))) * 1000L;
      long end = start + (120 + random.nextInt(180)) * 1000L;
      String service = SERVICES.get(random.nextInt(SERVICES.size()));
      String kind = kinds.get(random.nextInt(kinds.size()));
      List<String> hit = new ArrayList<>();
      if (regions == 1) {
        hit.add("");
      } else if (random.nextBoolean()) {
        REGIONS.subList(0, regions).forEach(region -> hit.add("-" + region));
      } else {
        hit.add("-" + REGIONS.get(random.nextInt(regions)));
      }
      for (String region : hit) {
        long shift = hit.size() == 1 ? 0 : random.nextInt(20) * 1000L;
        emit(signals, episode, service + region, SYMPTOMS.get(kind), start + shift, end);
        for (String caller : CALLERS.get(service)) {
          if (random.nextDouble() < 0.7) {
            List<String> knockOn =
                SYMPTOMS.get(kind).contains("error_rate")
                    ? List.of("latency_p99_ms", "error_rate")
                    : List.of("latency_p99_ms");
            emit(signals, episode, caller + region, knockOn, start + shift + 15_000, end);
          }
        }
      }
    }
    signals.sort(Comparator.comparingLong(signal -> signal.anomaly().timestampMillis()));
    return signals;
  }

  private static void emit(
      List<Signal> signals,
      int episode,
      String service,
      List<String> metrics,
      long start,
      long end) {
    for (long at = start; at < end; at += 10_000) {
      for (int m = 0; m < metrics.size(); m++) {
        signals.add(
            new Signal(
                new Anomaly(
                    SeriesKey.of(
                        metrics.get(m),
                        Map.of(
                            "service", service, "host", service + "-1", "episode", "e" + episode)),
                    at + m * 1000L,
                    10,
                    0,
                    1,
                    5,
                    0.9,
                    Direction.UP,
                    Set.of(DetectorKind.ZSCORE)),
                episode));
      }
    }
  }
}
