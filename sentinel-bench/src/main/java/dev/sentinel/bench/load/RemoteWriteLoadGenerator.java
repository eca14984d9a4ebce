package dev.sentinel.bench.load;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.xerial.snappy.Snappy;

/**
 * Drives {@code POST /api/v1/write} of a running Sentinel with Prometheus remote-write 1.0 requests
 * (snappy-compressed protobuf {@code WriteRequest}s, as Prometheus encodes them) from several
 * connections for a bounded time, and reports accepted samples per second. Each request carries
 * {@code seriesPerRequest} series of {@code samplesPerSeries} samples one second apart; each
 * connection cycles through its own series, and their time advances from round to round, so every
 * series sees ordered, advancing samples. A 503 (back-pressure) is counted and the request sent
 * again after a short pause, as Prometheus would.
 *
 * <p>Requests are encoded and compressed while the test runs (a few milliseconds each), as
 * Prometheus does; the generator's own CPU is part of what the two cores share.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.sentinel.bench.load.RemoteWriteLoadGenerator URL
 * [seconds=20] [connections=4] [seriesPerRequest=2000] [samplesPerSeries=5] [series=20000]}, with
 * the API key (role ingest or higher) in {@code SENTINEL_KEY}. Only loopback targets are accepted.
 */
public final class RemoteWriteLoadGenerator {

  private RemoteWriteLoadGenerator() {}

  public static void main(String[] args) throws Exception {
    URI target =
        IngestLoadGenerator.loopback(
            args.length > 0 ? args[0] : "http://127.0.0.1:8080/api/v1/write");
    int seconds = IngestLoadGenerator.intArg(args, 1, 20);
    int connections = IngestLoadGenerator.intArg(args, 2, 4);
    int seriesPerRequest = IngestLoadGenerator.intArg(args, 3, 2000);
    int samplesPerSeries = IngestLoadGenerator.intArg(args, 4, 5);
    int series = IngestLoadGenerator.intArg(args, 5, 20_000);
    int perConnection = Math.max(seriesPerRequest, series / connections);
    String key = System.getenv().getOrDefault("SENTINEL_KEY", "");
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    AtomicLong requests = new AtomicLong();
    AtomicLong throttled = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong measuredSamples = new AtomicLong();
    AtomicLong bytesSent = new AtomicLong();
    long warmupEnd = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
    // Start far enough back that a whole run of advancing samples stays in the past.
    long startMillis = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
    int samplesPerRequest = seriesPerRequest * samplesPerSeries;

    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int first = c * perConnection;
      workers.add(
          pool.submit(
              () -> {
                long time = startMillis;
                int cursor = 0;
                while (System.nanoTime() < end) {
                  byte[] body =
                      Snappy.compress(
                          writeRequest(first + cursor, seriesPerRequest, samplesPerSeries, time));
                  cursor += seriesPerRequest;
                  if (cursor + seriesPerRequest > perConnection) {
                    cursor = 0;
                    time += samplesPerSeries * 1000L;
                  }
                  HttpRequest request =
                      HttpRequest.newBuilder(target)
                          .header("Content-Type", "application/x-protobuf")
                          .header("Content-Encoding", "snappy")
                          .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                          .header("Authorization", "Bearer " + key)
                          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                          .build();
                  boolean sent = false;
                  while (!sent && System.nanoTime() < end) {
                    try {
                      HttpResponse<Void> response =
                          http.send(request, HttpResponse.BodyHandlers.discarding());
                      requests.incrementAndGet();
                      if (response.statusCode() == 204) {
                        sent = true;
                        if (System.nanoTime() > warmupEnd) {
                          measuredSamples.addAndGet(samplesPerRequest);
                          bytesSent.addAndGet(body.length);
                        }
                      } else if (response.statusCode() == 503 || response.statusCode() == 429) {
                        throttled.incrementAndGet();
                        Thread.sleep(20);
                      } else {
                        failed.incrementAndGet();
                        sent = true;
                      }
                    } catch (Exception e) {
                      failed.incrementAndGet();
                      sent = true;
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    double rate = measuredSamples.get() / (double) seconds;
    System.out.printf(
        Locale.ROOT,
        "remote write: %,.0f samples/s accepted over %d s (after 3 s warm-up); %d connections, %d"
            + " series x %d samples per request, %d series; requests %d, 503s %d, failures %d,"
            + " %.0f compressed bytes per request%n",
        rate,
        seconds,
        connections,
        seriesPerRequest,
        samplesPerSeries,
        perConnection * connections,
        requests.get(),
        throttled.get(),
        failed.get(),
        bytesSent.get() / Math.max(1.0, measuredSamples.get() / (double) samplesPerRequest));
  }

  /**
   * One {@code WriteRequest}: series {@code first..first+count}, each with labels {@code __name__,
   * instance, job, pod} (sorted, as Prometheus sends them) and {@code samples} samples.
   */
  static byte[] writeRequest(int first, int count, int samples, long startMillis)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(count * (100 + samples * 12));
    CodedOutputStream out = CodedOutputStream.newInstance(body, 64 * 1024);
    ByteArrayOutputStream one = new ByteArrayOutputStream(256);
    for (int s = first; s < first + count; s++) {
      one.reset();
      CodedOutputStream series = CodedOutputStream.newInstance(one, 256);
      label(series, "__name__", "http_requests_in_flight");
      label(series, "instance", "host-" + (s % 50) + ":9100");
      label(series, "job", "bench");
      label(series, "pod", "pod-" + s);
      for (int i = 0; i < samples; i++) {
        double value = 100 + (s % 17) + (i % 13) * 0.5;
        long timestamp = startMillis + i * 1000L;
        series.writeTag(2, 2);
        series.writeUInt32NoTag(
            CodedOutputStream.computeDoubleSize(1, value)
                + CodedOutputStream.computeInt64Size(2, timestamp));
        series.writeDouble(1, value);
        series.writeInt64(2, timestamp);
      }
      series.flush();
      out.writeTag(1, 2);
      out.writeUInt32NoTag(one.size());
      out.writeRawBytes(one.toByteArray());
    }
    out.flush();
    return body.toByteArray();
  }

  private static void label(CodedOutputStream out, String name, String value) throws IOException {
    out.writeTag(1, 2);
    out.writeUInt32NoTag(
        CodedOutputStream.computeStringSize(1, name)
            + CodedOutputStream.computeStringSize(2, value));
    out.writeString(1, name);
    out.writeString(2, value);
  }
}
