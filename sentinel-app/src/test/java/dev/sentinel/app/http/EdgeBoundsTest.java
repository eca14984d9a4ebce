package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.config.BodyLimits;
import dev.sentinel.app.config.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reproductions of issue 18 against a real server with the shipped limits (16 MiB for the
 * telemetry receivers, 64 KiB for Slack): oversized bodies are refused with 413 within a second
 * without the heap growing, and a storm of forged Slack requests writes a bounded number of audit
 * rows.
 */
class EdgeBoundsTest {

  private static final long MIB = 1024 * 1024;
  private static final long GIB = 1024 * MIB;

  /** "Heap stays flat": far below the 1 GiB the bomb inflates to, far above GC noise. */
  private static final long HEAP_BOUND = 96 * MIB;

  private static EdgeServer server;
  private static int port;
  private static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = new EdgeServer(BodyLimits.defaults(), ServerConfig.defaults().maxBodyBytes());
    port = Integer.parseInt(server.base.substring(server.base.lastIndexOf(':') + 1));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static long usedHeap() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** The start of a valid batch, then whitespace the parser must keep reading. */
  private static final byte[] OPEN_BATCH = "{\"points\":[".getBytes(StandardCharsets.US_ASCII);

  @Test
  void a_gzip_bomb_of_one_gibibyte_is_refused_with_413_within_a_second_and_the_heap_stays_flat()
      throws Exception {
    // 1 GiB of JSON whitespace compresses to a few MiB; made in 1 MiB steps, never held whole.
    // The fastest level: compressing a gibibyte at the default one takes the test 15 s.
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip =
        new GZIPOutputStream(compressed, 64 * 1024) {
          {
            def.setLevel(java.util.zip.Deflater.BEST_SPEED);
          }
        }) {
      gzip.write(OPEN_BATCH);
      byte[] spaces = new byte[(int) MIB];
      Arrays.fill(spaces, (byte) ' ');
      for (int i = 0; i < 1024; i++) {
        gzip.write(spaces);
      }
    }
    byte[] bomb = compressed.toByteArray();
    assertThat(bomb.length).isLessThan((int) (8 * MIB));
    System.out.printf("gzip bomb: %d bytes inflate to 1 GiB%n", bomb.length);
    long before = usedHeap();

    String headers =
        "Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: "
            + bomb.length
            + "\r\n";
    // Once untimed: a cold JVM on a busy machine interprets the parser's loops for a while.
    assertThat(
            RawHttp.post(port, "/api/v1/metrics", headers, new ByteArrayInputStream(bomb), false))
        .isEqualTo(413);
    long started = System.nanoTime();
    int status =
        RawHttp.post(port, "/api/v1/metrics", headers, new ByteArrayInputStream(bomb), false);
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(status).isEqualTo(413);
    assertThat(millis).isLessThan(1000);
    assertThat(usedHeap() - before).isLessThan(HEAP_BOUND);
    System.out.printf("gzip bomb (1 GiB inflated): 413 in %d ms%n", millis);
  }

  @Test
  void a_chunked_body_of_100_mebibytes_is_refused_with_413_within_a_second_and_the_heap_stays_flat()
      throws Exception {
    long before = usedHeap();
    // Once untimed, as for the gzip bomb.
    assertThat(
            RawHttp.post(
                port,
                "/api/v1/metrics",
                "Content-Type: application/json\r\n",
                RawHttp.generated(OPEN_BATCH, 100 * MIB, (byte) ' '),
                true))
        .isEqualTo(413);
    long started = System.nanoTime();
    int status =
        RawHttp.post(
            port,
            "/api/v1/metrics",
            "Content-Type: application/json\r\n",
            RawHttp.generated(OPEN_BATCH, 100 * MIB, (byte) ' '),
            true);
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(status).isEqualTo(413);
    assertThat(millis).isLessThan(1000);
    assertThat(usedHeap() - before).isLessThan(HEAP_BOUND);
    System.out.printf("chunked 100 MiB: 413 in %d ms%n", millis);
  }

  @Test
  void unsigned_slack_bodies_of_64_mebibytes_are_refused_with_413_within_a_second()
      throws Exception {
    long before = usedHeap();
    for (boolean chunked : new boolean[] {false, true}) {
      long started = System.nanoTime();
      int status =
          RawHttp.post(
              port,
              "/api/v1/slack/interactions",
              "Content-Type: application/x-www-form-urlencoded\r\n"
                  + (chunked ? "" : "Content-Length: " + 64 * MIB + "\r\n"),
              RawHttp.generated(
                  "payload=".getBytes(StandardCharsets.US_ASCII), 64 * MIB, (byte) 'a'),
              chunked);
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(status).isEqualTo(413);
      assertThat(millis).isLessThan(1000);
      System.out.printf("Slack 64 MiB (chunked %s): 413 in %d ms%n", chunked, millis);
    }
    assertThat(usedHeap() - before).isLessThan(HEAP_BOUND);
  }

  @Test
  void a_storm_of_forged_slack_requests_writes_a_bounded_number_of_audit_rows() throws Exception {
    int rowsBefore = server.state().auditRows();
    for (int i = 0; i < 500; i++) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(server.base + "/api/v1/slack/interactions"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header(
                      "X-Slack-Request-Timestamp", Long.toString(System.currentTimeMillis() / 1000))
                  .header("X-Slack-Signature", "v0=" + "0".repeat(64))
                  .POST(HttpRequest.BodyPublishers.ofString("payload=%7B%7D" + i))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(401);
    }
    // The first refusal of the minute is written; the rest are counted (two if a minute turned).
    assertThat(server.state().auditRows() - rowsBefore).isBetween(1, 2);
  }

  @Test
  void an_oversized_body_that_announces_its_length_is_refused_before_it_is_read()
      throws IOException, InterruptedException {
    InputStream never = RawHttp.generated(new byte[0], 0, (byte) 0);
    int status =
        RawHttp.post(
            port,
            "/api/v1/write",
            "Content-Type: application/x-protobuf\r\nContent-Encoding: snappy\r\nContent-Length: "
                + (65 * MIB)
                + "\r\n",
            never,
            false);
    assertThat(status).isEqualTo(413);
  }
}
