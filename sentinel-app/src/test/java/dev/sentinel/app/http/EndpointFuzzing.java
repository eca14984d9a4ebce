package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every endpoint's fuzz test shares: a real server on 127.0.0.1 (see {@link EdgeServer}), one
 * HTTP client, the count of inputs run, and the checks made on every input: never a 5xx, and a
 * refused request (4xx) changes neither the points taken, the incidents nor the series registry.
 *
 * <p>Each input runs in process through the code the endpoint runs after its glue to Javalin
 * (bounded body reader, decoder, validation, bus or correlator), where an exception that the API
 * would not map to a 4xx fails the test; every {@value #HTTP_EVERY}th input also goes to the real
 * server over HTTP. A whole HTTP round trip per input would make 10,000 inputs per endpoint take
 * minutes on a busy two-core machine.
 *
 * <p>Run by surefire's {@code fuzz} execution with {@code JAZZER_FUZZ=1}: Jazzer then generates
 * inputs, guided by the coverage of the server's code, until {@code maxExecutions}. Without that
 * variable (an IDE, the plain test run) only the seeds are replayed.
 */
abstract class EndpointFuzzing {

  /** The issue asks for at least this many inputs per endpoint. */
  static final long REQUIRED_INPUTS = 10_000;

  static EdgeServer server;
  static HttpClient client;

  /** One input in this many also goes over HTTP. */
  static final int HTTP_EVERY = 10;

  static final AtomicLong inputs = new AtomicLong();
  static final AtomicLong refused = new AtomicLong();
  static final AtomicLong accepted = new AtomicLong();
  static final AtomicLong overHttp = new AtomicLong();
  static final AtomicLong acceptedOverHttp = new AtomicLong();

  @BeforeAll
  static void startServer() {
    server = new EdgeServer();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    inputs.set(0);
    refused.set(0);
    accepted.set(0);
    overHttp.set(0);
    acceptedOverHttp.set(0);
  }

  @AfterAll
  static void reportAndStop() throws Exception {
    System.out.printf(
        "FUZZ %s: %d inputs in process (%d accepted, %d refused), %d of them also over HTTP"
            + " (%d accepted); no 5xx, no error%n",
        System.getProperty("fuzz.endpoint", "?"),
        inputs.get(),
        accepted.get(),
        refused.get(),
        overHttp.get(),
        acceptedOverHttp.get());
    server.close();
    if (System.getenv("JAZZER_FUZZ") != null) {
      assertThat(inputs.get())
          .as("inputs run while fuzzing")
          .isGreaterThanOrEqualTo(REQUIRED_INPUTS);
    }
  }

  /** The accept path of an endpoint, run in process; throws what the endpoint would throw. */
  interface Accept {
    void run() throws Exception;
  }

  /**
   * Runs one input in process, and every {@value #HTTP_EVERY}th also over HTTP. An exception the
   * API answers with a 4xx is a refusal, after which nothing may have changed; any other fails the
   * test as a finding (the API would answer 500).
   */
  static void check(Accept accept, HttpRequest.Builder request) throws Exception {
    long input = inputs.incrementAndGet();
    EdgeServer.State before = server.state();
    try {
      accept.run();
      accepted.incrementAndGet();
    } catch (RuntimeException e) {
      if (!isRefusal(e)) {
        throw e;
      }
      refused.incrementAndGet();
      unchanged(before, server.state());
    }
    if (input % HTTP_EVERY == 0) {
      overHttp.incrementAndGet();
      send(request);
    }
  }

  /** What the API's exception mappers answer with a 4xx. */
  private static boolean isRefusal(RuntimeException e) {
    return e instanceof dev.sentinel.app.ingest.InvalidPointsException
        || e instanceof BadRequestException
        || e instanceof BodyTooLargeException
        || e instanceof dev.sentinel.ingest.BatchTooLargeException
        || (e instanceof io.javalin.http.HttpResponseException response
            && response.getStatus() >= 400
            && response.getStatus() < 500);
  }

  private static void unchanged(EdgeServer.State before, EdgeServer.State after) {
    assertThat(after.points()).as("points after a refused request").isEqualTo(before.points());
    assertThat(after.incidents())
        .as("incidents after a refused request")
        .isEqualTo(before.incidents());
    assertThat(after.series()).as("series after a refused request").isEqualTo(before.series());
  }

  /** Sends one request and checks the answer; returns its status. */
  static int send(HttpRequest.Builder request) throws IOException, InterruptedException {
    EdgeServer.State before = server.state();
    HttpResponse<String> response =
        client.send(
            request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    int status = response.statusCode();
    assertThat(status).as("status of %s; body %s", request, response.body()).isLessThan(500);
    if (status >= 400) {
      unchanged(before, server.state());
    } else {
      acceptedOverHttp.incrementAndGet();
    }
    return status;
  }

  /** The limit the test server gives the telemetry receivers. */
  static final long LIMIT = 1024 * 1024;

  static java.io.InputStream stream(byte[] body) {
    return new java.io.ByteArrayInputStream(body);
  }

  static void publish(dev.sentinel.app.ingest.StagedPoints batch) {
    if (batch.size() > 0 && !batch.publishTo(server.counting)) {
      throw new IllegalStateException("the test bus is never full");
    }
  }

  /**
   * The fuzzer's text or, when it says so, a valid value: an empty input takes every valid value,
   * so the fuzzer starts from accepted requests and mutates from there.
   */
  static String either(
      com.code_intelligence.jazzer.api.FuzzedDataProvider data, String valid, int max) {
    return data.consumeBoolean() ? data.consumeString(max) : valid;
  }

  static HttpRequest.Builder post(String path, byte[] body) {
    return HttpRequest.newBuilder(URI.create(server.base + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(plain);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  /** A Snappy block of literals only: valid, uncompressed, enough to reach the decoder. */
  static byte[] snappy(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long length = plain.length;
    while (length >= 0x80) {
      out.write((int) (length & 0x7f) | 0x80);
      length >>>= 7;
    }
    out.write((int) length);
    for (int at = 0; at < plain.length; at += 60) {
      int n = Math.min(60, plain.length - at);
      out.write((n - 1) << 2);
      out.write(plain, at, n);
    }
    return out.toByteArray();
  }
}
