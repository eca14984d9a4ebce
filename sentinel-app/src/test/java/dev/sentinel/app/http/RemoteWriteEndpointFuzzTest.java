package dev.sentinel.app.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sentinel.app.ingest.RemoteWriteDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** {@code POST /api/v1/write} over real HTTP: snappy protobuf, valid framing or not. */
class RemoteWriteEndpointFuzzTest extends EndpointFuzzing {

  @FuzzTest(maxExecutions = 10_000, maxDuration = "90s")
  void any_body_gets_an_answer_below_500_and_a_refused_one_changes_nothing(FuzzedDataProvider data)
      throws Exception {
    System.setProperty("fuzz.endpoint", "/api/v1/write");
    int shape = data.consumeInt(0, 2);
    byte[] body;
    if (shape == 0) {
      // A WriteRequest with one series built from the fuzzer's labels and sample.
      ByteArrayOutputStream labels = new ByteArrayOutputStream();
      int count = 1 + data.consumeInt(0, 3);
      for (int i = 0; i < count; i++) {
        byte[] name =
            (i == 0 ? "__name__" : data.consumeString(12)).getBytes(StandardCharsets.UTF_8);
        byte[] value = data.consumeBytes(16);
        ByteArrayOutputStream label = new ByteArrayOutputStream();
        field(label, 1, name);
        field(label, 2, value);
        field(labels, 1, label.toByteArray());
      }
      ByteArrayOutputStream sample = new ByteArrayOutputStream();
      sample.write(0x09); // value = 1, fixed64
      long bits = Double.doubleToRawLongBits(data.consumeBoolean() ? data.consumeDouble() : 1.0);
      for (int i = 0; i < 8; i++) {
        sample.write((int) (bits >>> (8 * i)) & 0xff);
      }
      sample.write(0x10); // timestamp = 2, varint
      varint(sample, data.consumeBoolean() ? data.consumeLong() : System.currentTimeMillis());
      field(labels, 2, sample.toByteArray());
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      field(request, 1, labels.toByteArray());
      request.writeBytes(data.consumeRemainingAsBytes());
      body = snappy(request.toByteArray());
    } else if (shape == 1) {
      body = snappy(data.consumeRemainingAsBytes());
    } else {
      body = data.consumeRemainingAsBytes(); // not snappy at all
    }
    byte[] sent = body;
    check(
        () -> {
          byte[] plain =
              RequestBodies.read(
                  stream(sent), sent.length, RequestBodies.Encoding.SNAPPY, LIMIT, "remoteWrite");
          publish(
              new RemoteWriteDecoder(server.series, server.clock)
                  .decode(plain, plain.length)
                  .staged());
        },
        post("/api/v1/write", body)
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0"));
  }

  private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
    out.write(number << 3 | 2);
    varint(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7fL) != 0) {
      out.write((int) (value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }
}
