package dev.sentinel.app.http;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.util.JsonFormat;
import dev.sentinel.app.ingest.InvalidPointsException;
import dev.sentinel.app.ingest.OtlpMetricsDecoder;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.ingest.BatchTooLargeException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /v1/metrics}: OTLP/HTTP metrics, binary protobuf or OTLP JSON, optionally gzip. The
 * answers follow the OTLP/HTTP specification: 200 with an {@code ExportMetricsServiceResponse}
 * (with {@code partial_success} when data points were rejected; the sender must not retry those),
 * 400 for a body that cannot be parsed, 413 too large, 415 for another content type, and 429 with
 * {@code Retry-After} when the pipeline is full (retried by OTLP exporters). Errors carry a {@code
 * google.rpc.Status} in the request's encoding.
 */
final class OtlpEndpoint implements Handler {

  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";

  // google.rpc.Code values for the Status of an error response.
  private static final int INVALID_ARGUMENT = 3;
  private static final int RESOURCE_EXHAUSTED = 8;

  private final OtlpMetricsDecoder decoder;
  private final dev.sentinel.ingest.TelemetryBus bus;
  private final PipelineMetrics metrics;
  private final long maxBodyBytes;

  OtlpEndpoint(
      OtlpMetricsDecoder decoder,
      dev.sentinel.ingest.TelemetryBus bus,
      PipelineMetrics metrics,
      long maxBodyBytes) {
    this.decoder = decoder;
    this.bus = bus;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(Context ctx) throws IOException {
    String media = RequestBodies.mediaType(ctx.header("Content-Type"));
    boolean json = media.equals(JSON);
    if (!json && !media.equals(PROTOBUF)) {
      status(
          ctx,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          true,
          INVALID_ARGUMENT,
          "Content-Type '"
              + ctx.header("Content-Type")
              + "' is not supported; send "
              + PROTOBUF
              + " or "
              + JSON);
      return;
    }
    OtlpMetricsDecoder.Decoded decoded;
    try {
      RequestBodies.Encoding encoding =
          RequestBodies.encoding(ctx, RequestBodies.Encoding.GZIP, RequestBodies.Encoding.IDENTITY);
      byte[] body = RequestBodies.read(ctx, encoding, maxBodyBytes, "server.bodyLimits.otlp");
      ExportMetricsServiceRequest request =
          json
              ? OtlpMetricsDecoder.parseJson(new String(body, StandardCharsets.UTF_8))
              : OtlpMetricsDecoder.parseProtobuf(body);
      decoded = decoder.decode(request);
    } catch (InvalidPointsException e) {
      metrics.pointsRejectedInvalid.increment(e.errorCount());
      status(ctx, HttpStatus.BAD_REQUEST, json, INVALID_ARGUMENT, e.errors().getFirst().message());
      return;
    } catch (BatchTooLargeException | BodyTooLargeException e) {
      ctx.header("Connection", "close");
      status(ctx, HttpStatus.CONTENT_TOO_LARGE, json, INVALID_ARGUMENT, e.getMessage());
      return;
    } catch (BadRequestException e) {
      status(ctx, HttpStatus.BAD_REQUEST, json, INVALID_ARGUMENT, e.getMessage());
      return;
    } catch (HttpResponseException e) {
      status(ctx, HttpStatus.forStatus(e.getStatus()), json, INVALID_ARGUMENT, e.getMessage());
      return;
    }
    metrics.pointsRejectedInvalid.increment(decoded.rejected());
    metrics.pointsSkippedNonFinite.increment(decoded.skipped());
    int points = decoded.staged().size();
    try {
      if (points > 0 && !decoded.staged().publishTo(bus)) {
        metrics.pointsRejectedFull.increment(points);
        metrics.requestsRejectedFull.increment();
        ctx.header("Retry-After", "1");
        status(
            ctx,
            HttpStatus.TOO_MANY_REQUESTS,
            json,
            RESOURCE_EXHAUSTED,
            "the detection pipeline is full; nothing was accepted, retry after a second");
        return;
      }
    } catch (BatchTooLargeException e) {
      status(ctx, HttpStatus.CONTENT_TOO_LARGE, json, INVALID_ARGUMENT, e.getMessage());
      return;
    }
    metrics.pointsAccepted.increment(points);
    ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
    if (decoded.rejected() > 0) {
      response.setPartialSuccess(
          ExportMetricsPartialSuccess.newBuilder()
              .setRejectedDataPoints(decoded.rejected())
              .setErrorMessage(decoded.rejectionMessage()));
    }
    ctx.status(HttpStatus.OK);
    if (json) {
      ctx.contentType(JSON)
          .result(JsonFormat.printer().omittingInsignificantWhitespace().print(response));
    } else {
      ctx.contentType(PROTOBUF).result(response.build().toByteArray());
    }
  }

  /**
   * An error answer: a {@code google.rpc.Status} with the code and message, in the request's
   * encoding.
   */
  private static void status(Context ctx, HttpStatus status, boolean json, int code, String message)
      throws IOException {
    ctx.status(status);
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("code", code);
      body.put("message", message);
      ctx.json(body);
      return;
    }
    // google.rpc.Status { int32 code = 1; string message = 2; }, written by hand: the type is not
    // on the class path and two fields do not justify adding it.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeInt32(1, code);
    out.writeString(2, message);
    out.flush();
    ctx.contentType(PROTOBUF).result(bytes.toByteArray());
  }
}
