package dev.sentinel.app.http;

import dev.sentinel.app.ingest.InvalidPointsException;
import dev.sentinel.app.ingest.JsonPointDecoder;
import dev.sentinel.app.ingest.StagedPoints;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.ingest.TelemetryBus;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code POST /api/v1/metrics}: a JSON batch of points. Answers 202 with the number accepted, 400
 * naming every bad field (nothing accepted), or 429 with {@code Retry-After} when the pipeline is
 * full (nothing accepted, no series registered: the sender keeps the batch and retries).
 */
final class IngestEndpoint implements Handler {

  private final JsonPointDecoder decoder;
  private final TelemetryBus bus;
  private final PipelineMetrics metrics;

  private final long maxBodyBytes;

  IngestEndpoint(
      JsonPointDecoder decoder, TelemetryBus bus, PipelineMetrics metrics, long maxBodyBytes) {
    this.decoder = decoder;
    this.bus = bus;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(Context ctx) throws IOException {
    StagedPoints batch;
    RequestBodies.Encoding encoding =
        RequestBodies.encoding(ctx, RequestBodies.Encoding.GZIP, RequestBodies.Encoding.IDENTITY);
    try (InputStream body =
        RequestBodies.open(ctx, encoding, maxBodyBytes, "server.bodyLimits.metrics")) {
      batch = decoder.stage(body);
    } catch (InvalidPointsException e) {
      metrics.pointsRejectedInvalid.increment(e.errorCount());
      throw e;
    }
    if (!batch.publishTo(bus)) {
      metrics.pointsRejectedFull.increment(batch.size());
      metrics.requestsRejectedFull.increment();
      ctx.header("Retry-After", "1");
      ctx.status(HttpStatus.TOO_MANY_REQUESTS)
          .json(
              Map.of(
                  "error",
                  "the detection pipeline is full; nothing was accepted, retry after a second",
                  "accepted",
                  0));
      return;
    }
    metrics.pointsAccepted.increment(batch.size());
    ctx.status(HttpStatus.ACCEPTED).json(Map.of("accepted", batch.size()));
  }
}
