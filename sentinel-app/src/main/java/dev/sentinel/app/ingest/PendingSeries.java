package dev.sentinel.app.ingest;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The series ids of one request. A series already registered gets its id; a new one, in deferred
 * mode, gets a provisional negative id and is registered only by {@link #commit}, once the whole
 * batch has been validated. A refused batch therefore leaves the registry as it was (a batch of
 * 20,000 new series with one bad point used to register all 20,000).
 *
 * <p>Immediate mode registers at once: the OTLP receiver needs real ids while it decodes (its
 * cumulative-to-rate state is kept per id) and accepts partially, so it has no whole-batch refusal
 * after decoding.
 *
 * <p>One instance per request, used by one thread.
 */
final class PendingSeries {

  private final SeriesRegistry registry;
  private final boolean deferred;
  private final List<SeriesKey> keys = new ArrayList<>();
  private final Map<String, Integer> byText = new HashMap<>();

  private PendingSeries(SeriesRegistry registry, boolean deferred) {
    this.registry = registry;
    this.deferred = deferred;
  }

  static PendingSeries deferred(SeriesRegistry registry) {
    return new PendingSeries(registry, true);
  }

  static PendingSeries immediate(SeriesRegistry registry) {
    return new PendingSeries(registry, false);
  }

  /** The id of the series whose canonical text is {@code text[0..length)}, if known; else -1. */
  int find(char[] text, int length) {
    int id = registry.find(text, length, SeriesRegistry.hash(text, length));
    if (id >= 0 || keys.isEmpty()) {
      return id;
    }
    Integer pending = byText.get(new String(text, 0, length));
    return pending == null ? -1 : pending;
  }

  /** The id of a series {@link #find} did not know: registered now, or provisional. */
  int add(SeriesKey key) {
    if (!deferred) {
      return registry.intern(key);
    }
    int id = provisional(keys.size());
    keys.add(key);
    byText.put(key.text(), id);
    return id;
  }

  /** Provisional ids start at -2: -1 is "no series" to the decoders. */
  private static int provisional(int index) {
    return -2 - index;
  }

  /**
   * Registers the new series and returns the batch with their real ids (the same batch when no
   * series was new). Call only for a batch that will be published.
   */
  PointBatch commit(PointBatch batch) {
    if (keys.isEmpty()) {
      return batch;
    }
    int[] ids = new int[keys.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = registry.intern(keys.get(i));
    }
    PointBatch committed = new PointBatch(Math.max(batch.size(), 1));
    for (int i = 0; i < batch.size(); i++) {
      int id = batch.seriesId(i);
      committed.add(id >= 0 ? id : ids[-2 - id], batch.timestamp(i), batch.value(i));
    }
    keys.clear();
    byText.clear();
    return committed;
  }
}
