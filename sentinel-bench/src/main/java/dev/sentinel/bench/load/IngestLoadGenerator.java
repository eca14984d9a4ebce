package dev.sentinel.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives {@code POST /api/v1/metrics} of a running Sentinel with pre-built JSON batches from
 * several connections for a bounded time, and reports accepted points per second. A 429 is counted
 * and the same batch is sent again after a short pause, as a well-behaved client would.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.sentinel.bench.load.IngestLoadGenerator URL
 * [seconds=20] [connections=4] [pointsPerRequest=5000] [series=10000] [stormSeries=0]
 * [warmupSeconds=3]}, with the API key (role ingest or higher) in {@code SENTINEL_KEY}. Only
 * loopback targets are accepted: this is a load generator for a local server.
 *
 * <p>With {@code stormSeries} above 0, an incident storm rides on the load: that many series
 * alternate between their usual value and a spike far outside it, so that they report anomalies all
 * the time while the rest stays quiet. Read the anomalies it caused from {@code
 * sentinel_detect_anomalies_total}.
 */
public final class IngestLoadGenerator {

  private IngestLoadGenerator() {}

  public static void main(String[] args) throws Exception {
    URI target = loopback(args.length > 0 ? args[0] : "http://127.0.0.1:8080/api/v1/metrics");
    int seconds = intArg(args, 1, 20);
    int connections = intArg(args, 2, 4);
    int pointsPerRequest = intArg(args, 3, 5000);
    int series = intArg(args, 4, 10_000);
    int stormSeries = intArg(args, 5, 0);
    int warmupSeconds = intArg(args, 6, 3);

    AtomicLong clockTicks = new AtomicLong();
    String key = System.getenv().getOrDefault("SENTINEL_KEY", "");
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    AtomicLong accepted = new AtomicLong();
    AtomicLong requests = new AtomicLong();
    AtomicLong throttled = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long warmupEnd = System.nanoTime() + Duration.ofSeconds(warmupSeconds).toNanos();
    long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
    AtomicLong measuredPoints = new AtomicLong();

    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int offset = c;
      workers.add(
          pool.submit(
              () -> {
                // Each connection owns every connections-th series, so that a series' points
                // arrive in time order, as from one scraper.
                List<Body> quiet =
                    buildBodies(pointsPerRequest, series, 16, offset, connections, 0);
                List<Body> storm =
                    stormSeries == 0
                        ? quiet
                        : buildBodies(
                            pointsPerRequest, series, 16, offset, connections, stormSeries);
                int next = 0;
                while (System.nanoTime() < end) {
                  List<Body> bodies = System.nanoTime() < warmupEnd ? quiet : storm;
                  Body template = bodies.get(next++ % bodies.size());
                  byte[] body =
                      template.stamped(BASE_MILLIS + clockTicks.incrementAndGet() * 1000L);
                  HttpRequest request =
                      HttpRequest.newBuilder(target)
                          .header("Content-Type", "application/json")
                          .header("Authorization", "Bearer " + key)
                          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                          .build();
                  try {
                    HttpResponse<Void> response =
                        http.send(request, HttpResponse.BodyHandlers.discarding());
                    requests.incrementAndGet();
                    if (response.statusCode() == 202) {
                      accepted.addAndGet(pointsPerRequest);
                      if (System.nanoTime() > warmupEnd) {
                        measuredPoints.addAndGet(pointsPerRequest);
                      }
                    } else if (response.statusCode() == 429) {
                      throttled.incrementAndGet();
                      next--;
                      Thread.sleep(20);
                    } else {
                      failed.incrementAndGet();
                    }
                  } catch (Exception e) {
                    failed.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    double rate = measuredPoints.get() / (double) seconds;
    System.out.printf(
        Locale.ROOT,
        "ingest: %,.0f points/s accepted over %d s (after %d s warm-up); %d connections, %d points"
            + " per request, %d series (%d storming); requests %d, 429s %d, failures %d, points"
            + " accepted in all %,d%n",
        rate,
        seconds,
        warmupSeconds,
        connections,
        pointsPerRequest,
        series,
        stormSeries,
        requests.get(),
        throttled.get(),
        failed.get(),
        accepted.get());
  }

  /**
   * A request body whose timestamps are rewritten in place before each send, so that every series
   * sees advancing time however often the body is reused (13-digit epoch milliseconds).
   */
  record Body(byte[] json, int[] timestampOffsets) {
    byte[] stamped(long millis) {
      byte[] digits = Long.toString(millis).getBytes(StandardCharsets.US_ASCII);
      for (int offset : timestampOffsets) {
        System.arraycopy(digits, 0, json, offset, digits.length);
      }
      return json;
    }
  }

  /** Start of the generated time line; a 13-digit millisecond value a few days back. */
  private static final long BASE_MILLIS =
      System.currentTimeMillis() - Duration.ofDays(3).toMillis();

  /**
   * Distinct bodies of the series connection {@code seed} of {@code owners} owns (every owners-th
   * one): each carries {@code pointsPerRequest} points, of different series as long as a connection
   * owns at least that many; the first {@code stormSeries} series spike at every other appearance.
   */
  static List<Body> buildBodies(
      int pointsPerRequest, int series, int count, int seed, int owners, int stormSeries) {
    List<Body> bodies = new ArrayList<>(count);
    int owned = Math.max(1, series / owners);
    int cursor = 0;
    String placeholder = Long.toString(BASE_MILLIS);
    for (int b = 0; b < count; b++) {
      StringBuilder json = new StringBuilder(pointsPerRequest * 110).append("{\"points\":[");
      int[] offsets = new int[pointsPerRequest];
      for (int i = 0; i < pointsPerRequest; i++) {
        int s = (cursor % owned) * owners + seed;
        cursor++;
        if (i > 0) {
          json.append(',');
        }
        json.append("{\"name\":\"http_latency_ms\",\"labels\":{\"service\":\"svc")
            .append(s % 50)
            .append("\",\"pod\":\"pod-")
            .append(s)
            .append("\"},\"timestamp\":");
        offsets[i] = json.length();
        double value = 100 + (s % 17) + (cursor % 13) * 0.5;
        if (s < stormSeries && (cursor / owned) % 2 == 1) {
          value += 5_000 + (cursor % 997);
        }
        json.append(placeholder).append(",\"value\":").append(value).append('}');
      }
      bodies.add(
          new Body(json.append("]}").toString().getBytes(StandardCharsets.US_ASCII), offsets));
    }
    return bodies;
  }

  /** The target URL, refused unless it is on this machine: load goes to loopback only. */
  static URI loopback(String url) {
    URI target = URI.create(url);
    String host = target.getHost();
    if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[::1]")) {
      throw new IllegalArgumentException("only loopback targets are allowed, got " + host);
    }
    return target;
  }

  static int intArg(String[] args, int index, int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }
}
