package dev.sentinel.ingest;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interns series keys to dense int ids, so that the hot path moves ints instead of strings and
 * detector state can live in flat arrays indexed by id.
 *
 * <p>Thread-safe. Lookups of known series take no lock; registering a new series takes a short
 * lock. Ids are never reused while the registry lives.
 */
public final class SeriesRegistry {

  private final ConcurrentHashMap<String, Integer> idsByText = new ConcurrentHashMap<>();
  private volatile SeriesKey[] keys = new SeriesKey[1024];
  private int size;

  /** The id of the series with this canonical text, registering {@code key} if it is new. */
  public int intern(String canonicalText, java.util.function.Supplier<SeriesKey> key) {
    Integer id = idsByText.get(canonicalText);
    if (id != null) {
      return id;
    }
    return register(canonicalText, key.get());
  }

  public int intern(SeriesKey key) {
    String text = key.text();
    Integer id = idsByText.get(text);
    return id != null ? id : register(text, key);
  }

  private synchronized int register(String text, SeriesKey key) {
    Integer existing = idsByText.get(text);
    if (existing != null) {
      return existing;
    }
    int id = size;
    SeriesKey[] current = keys;
    if (id == current.length) {
      current = Arrays.copyOf(current, current.length * 2);
    }
    current[id] = key;
    keys = current;
    size = id + 1;
    idsByText.put(text, id);
    return id;
  }

  /** The key of a registered id. */
  public SeriesKey key(int id) {
    SeriesKey key = keys[id];
    if (key == null) {
      throw new IllegalArgumentException("unknown series id " + id);
    }
    return key;
  }

  /** The id of a series by its canonical text, or -1 when it was never seen. */
  public int find(String canonicalText) {
    Integer id = idsByText.get(canonicalText);
    return id == null ? -1 : id;
  }

  public synchronized int size() {
    return size;
  }
}
