package dev.sentinel.app;

import dev.sentinel.app.config.KafkaBusConfig;
import dev.sentinel.app.ingest.InvalidPointsException;
import dev.sentinel.app.ingest.JsonPointDecoder;
import dev.sentinel.app.ingest.OtlpMetricsDecoder;
import dev.sentinel.app.ingest.PointError;
import dev.sentinel.app.ingest.PrometheusAdapterDecoder;
import dev.sentinel.app.observe.PipelineMetrics;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.kafka.RecordDecoder;
import java.io.ByteArrayInputStream;
import java.time.Clock;

/**
 * The record decoder of each {@code bus.kafka.format}, adapted from the HTTP receivers' decoders.
 */
final class KafkaRecordFormats {

  /**
   * How much cumulative state the {@code otlp} and {@code prometheus} formats keep for rates, as
   * the HTTP receivers.
   */
  private static final int RATE_SERIES = 200_000;

  private KafkaRecordFormats() {}

  /**
   * Decodes records in the topic's format, checked by the same code as the HTTP receiver of that
   * format. Every format is all or nothing per record: a record with any invalid point goes to the
   * dead-letter topic whole and registers no series. Non-finite values (and staleness markers) are
   * skipped and counted in the same meters as the HTTP receivers.
   */
  static RecordDecoder decoder(
      String format,
      SeriesRegistry registry,
      Clock clock,
      PipelineMetrics metrics,
      boolean cumulativeAsRate) {
    return switch (format) {
      case KafkaBusConfig.PROMETHEUS -> {
        PrometheusAdapterDecoder prometheus =
            new PrometheusAdapterDecoder(registry, clock, cumulativeAsRate, RATE_SERIES);
        yield value -> {
          try {
            PrometheusAdapterDecoder.Decoded decoded = prometheus.decode(value);
            metrics.pointsSkippedNonFinite.increment(decoded.nonFinite());
            return decoded.points();
          } catch (InvalidPointsException e) {
            throw new IllegalArgumentException(reason(e), e);
          }
        };
      }
      case KafkaBusConfig.OTLP -> {
        OtlpMetricsDecoder otlp =
            new OtlpMetricsDecoder(registry, clock, cumulativeAsRate, RATE_SERIES);
        yield value -> {
          OtlpMetricsDecoder.Decoded decoded;
          try {
            decoded = otlp.decode(OtlpMetricsDecoder.parseProtobuf(value));
          } catch (InvalidPointsException e) {
            throw new IllegalArgumentException(reason(e), e);
          }
          if (decoded.rejected() > 0) {
            throw new IllegalArgumentException(decoded.rejectionMessage());
          }
          metrics.pointsSkippedNonFinite.increment(decoded.skipped());
          return decoded.points();
        };
      }
      default -> {
        JsonPointDecoder json = new JsonPointDecoder(registry, clock);
        yield value -> {
          try {
            return json.decode(new ByteArrayInputStream(value));
          } catch (InvalidPointsException e) {
            throw new IllegalArgumentException(reason(e), e);
          }
        };
      }
    };
  }

  /** What a dead letter's reason header says: the decoder's errors, as the HTTP API gives them. */
  static String reason(InvalidPointsException e) {
    StringBuilder reason = new StringBuilder();
    for (PointError error : e.errors()) {
      if (!reason.isEmpty()) {
        reason.append("; ");
      }
      reason.append(error.field().isEmpty() ? "body" : error.field()).append(": ");
      reason.append(error.message());
    }
    int more = e.errorCount() - e.errors().size();
    if (more > 0) {
      reason.append(" (and ").append(more).append(" more)");
    }
    return reason.toString();
  }
}
