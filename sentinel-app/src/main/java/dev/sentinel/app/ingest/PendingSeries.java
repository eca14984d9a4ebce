package dev.sentinel.app.ingest;

import dev.sentinel.ingest.PointBatch;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The series ids of one request. A series already registered gets its id; a new one gets a
 * provisional negative id and is registered only by {@link #commit}, once the whole batch has been
 * validated. A refused batch therefore leaves the registry as it was (a batch of 20,000 new series
 * with one bad point used to register all 20,000).
 *
 * <p>State kept per series id beyond the request (the OTLP receiver's cumulative-to-rate baselines)
 * is handed over for a new series with {@link #whenRegistered}, so it is kept under the real id and
 * only for a batch that was published.
 *
 * <p>One instance per request, used by one thread.
 */
final class PendingSeries {

  private final SeriesRegistry registry;
  private final List<SeriesKey> keys = new ArrayList<>();
  private final Map<String, Integer> byText = new HashMap<>();
  private final List<IntConsumer> registered = new ArrayList<>();
  private final List<Integer> registeredIds = new ArrayList<>();

  PendingSeries(SeriesRegistry registry) {
    this.registry = registry;
  }

  /** Whether {@code id} is provisional: a series that {@link #commit} has yet to register. */
  static boolean isProvisional(int id) {
    return id <= -2;
  }

  /** Runs {@code action} with the real id of provisional {@code id} once it is registered. */
  void whenRegistered(int id, IntConsumer action) {
    registeredIds.add(id);
    registered.add(action);
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

  /** The provisional id of a series {@link #find} did not know. */
  int add(SeriesKey key) {
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
   * series was new). Call only for a batch that will be published (see {@link StagedPoints}).
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
    for (int i = 0; i < registered.size(); i++) {
      registered.get(i).accept(ids[-2 - registeredIds.get(i)]);
    }
    keys.clear();
    byText.clear();
    registered.clear();
    registeredIds.clear();
    return committed;
  }
}
