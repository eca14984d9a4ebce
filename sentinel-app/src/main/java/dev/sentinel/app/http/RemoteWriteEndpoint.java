package dev.sentinel.app.http;

import dev.sentinel.app.ingest.InvalidPointsException;
import dev.sentinel.app.ingest.RemoteWriteDecoder;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.ingest.TelemetryBus;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.Map;

/**
 * {@code POST /api/v1/write}: Prometheus remote write 1.0 (snappy-compressed protobuf {@code
 * WriteRequest}). The status codes follow what Prometheus does with them: 204 accepted; 400
 * undecodable or invalid, which Prometheus drops and never retries; 413 too large; 415 for
 * remote-write 2.0 or another content type; and 503 with {@code Retry-After} when the pipeline is
 * full.
 *
 * <p>503 rather than 429 on back-pressure: Prometheus retries every 5xx with backoff, but retries
 * 429 only with {@code queue_config.retry_on_http_429: true}, off by default in 2.42; a 429 would
 * lose the samples. Nothing of a refused request is kept, so a retry duplicates nothing.
 */
final class RemoteWriteEndpoint implements Handler {

  static final String PROTOBUF = "application/x-protobuf";
  private static final String VERSION_2 = "io.prometheus.write.v2.request";

  private final RemoteWriteDecoder decoder;
  private final TelemetryBus bus;
  private final PipelineMetrics metrics;
  private final long maxBodyBytes;

  RemoteWriteEndpoint(
      RemoteWriteDecoder decoder, TelemetryBus bus, PipelineMetrics metrics, long maxBodyBytes) {
    this.decoder = decoder;
    this.bus = bus;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(Context ctx) throws IOException {
    String contentType = ctx.header("Content-Type");
    if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains(VERSION_2)) {
      throw new HttpResponseException(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(),
          "remote-write 2.0 is not supported; send 1.0 (prometheus.WriteRequest), the default");
    }
    String media = RequestBodies.mediaType(contentType);
    if (!media.isEmpty() && !media.equals(PROTOBUF)) {
      throw new HttpResponseException(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(),
          "Content-Type '" + contentType + "' is not supported; send " + PROTOBUF);
    }
    RequestBodies.Encoding encoding =
        RequestBodies.encoding(ctx, RequestBodies.Encoding.SNAPPY, RequestBodies.Encoding.IDENTITY);
    RemoteWriteDecoder.Decoded decoded;
    try {
      byte[] body =
          RequestBodies.read(ctx, encoding, maxBodyBytes, "server.bodyLimits.remoteWrite");
      decoded = decoder.decode(body, body.length);
    } catch (InvalidPointsException e) {
      metrics.pointsRejectedInvalid.increment(e.errorCount());
      throw e;
    }
    metrics.pointsSkippedStale.increment(decoded.staleMarkers());
    metrics.pointsSkippedNonFinite.increment(decoded.nonFinite());
    metrics.pointsSkippedUnsupported.increment(decoded.histograms());
    int points = decoded.staged().size();
    if (points > 0 && !decoded.staged().publishTo(bus)) {
      metrics.pointsRejectedFull.increment(points);
      metrics.requestsRejectedFull.increment();
      ctx.header("Retry-After", "1");
      ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
          .json(
              Map.of(
                  "error",
                  "the detection pipeline is full; nothing was accepted, retry after a second"));
      return;
    }
    metrics.pointsAccepted.increment(points);
    ctx.status(HttpStatus.NO_CONTENT);
  }
}
