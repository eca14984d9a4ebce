package dev.sentinel.history;

import dev.sentinel.ingest.SeriesKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store that answers baselines from a table given by the test (per series and seasonality), or
 * fails every query when told to; everything else is unsupported. For testing what is built on
 * {@link TelemetryStore#baseline}.
 */
public final class FixedBaselineStore extends UnsupportedTelemetryStore {

  private final Map<String, Baseline> weekly = new HashMap<>();
  private final Map<String, Baseline> daily = new HashMap<>();
  private final List<BaselineQuery> queries = new ArrayList<>();
  private volatile String failure;

  public FixedBaselineStore weekly(SeriesKey series, Baseline baseline) {
    weekly.put(series.text(), baseline);
    return this;
  }

  public FixedBaselineStore daily(SeriesKey series, Baseline baseline) {
    daily.put(series.text(), baseline);
    return this;
  }

  /** Every query from now on throws a {@link TelemetryStoreException} with this message. */
  public void fail(String message) {
    failure = message;
  }

  public List<BaselineQuery> queries() {
    return List.copyOf(queries);
  }

  @Override
  public synchronized Optional<Baseline> baseline(SeriesKey series, BaselineQuery query) {
    if (failure != null) {
      throw new TelemetryStoreException(failure);
    }
    queries.add(query);
    Map<String, Baseline> table = query.seasonality() == Seasonality.WEEKLY ? weekly : daily;
    return Optional.ofNullable(table.get(series.text()));
  }
}
