package dev.sentinel.history;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A base for test stores that support only what their test needs: every method throws {@link
 * UnsupportedOperationException} until a subclass overrides it, and closing does nothing.
 */
public abstract class UnsupportedTelemetryStore implements TelemetryStore {

  @Override
  public void append(PointBatch points, SeriesRegistry registry) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<StoredPoint> points(SeriesKey series, TimeRange range, int limit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<Bucket> aggregate(SeriesKey series, TimeRange range, Duration step) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<Baseline> baseline(SeriesKey series, BaselineQuery query) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<Percentiles> percentiles(SeriesKey series, TimeRange range) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<Trend> trend(SeriesKey series, TimeRange range) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void deleteBefore(long cutoffMillis) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<SeriesKey> series() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
