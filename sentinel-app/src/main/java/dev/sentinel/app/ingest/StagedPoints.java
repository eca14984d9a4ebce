package dev.sentinel.app.ingest;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.TelemetryBus;

/**
 * The points of one accepted request, before their new series are registered. {@link #publishTo}
 * registers them only once the bus has taken room for the batch, so a request refused for a full
 * pipeline (HTTP 429/503) leaves the series registry as it was, like one refused for bad input.
 *
 * <p>One instance per request, used by one thread.
 */
public final class StagedPoints {

  private final PointBatch provisional;
  private final PendingSeries series;
  private PointBatch committed;

  StagedPoints(PointBatch provisional, PendingSeries series) {
    this.provisional = provisional;
    this.series = series;
  }

  public int size() {
    return provisional.size();
  }

  /**
   * Hands the points to the bus, all or nothing.
   *
   * @return false when the bus is full: nothing was taken and no series registered
   */
  public boolean publishTo(TelemetryBus bus) {
    return bus.tryPublish(size(), this::commit);
  }

  /** Registers the new series and gives the batch with their ids; the same batch on every call. */
  public PointBatch commit() {
    if (committed == null) {
      committed = series.commit(provisional);
    }
    return committed;
  }
}
