package dev.sentinel.ingest;

import java.util.Arrays;

/**
 * Interns series keys to dense int ids, so that the hot path moves ints instead of strings and
 * detector state can live in flat arrays indexed by id.
 *
 * <p>Lookups take no lock and allocate nothing: an open-addressing table maps the canonical
 * text's hash to ids, and a decoder can look a series up straight from the characters it parsed
 * ({@link #find(char[], int, int)}). Registering a new series takes a short lock and publishes a
 * new table when the old one fills up. A lookup racing a registration may miss the newcomer and
 * fall back to {@link #intern}, which finds it under the lock. Ids are never reused.
 */
public final class SeriesRegistry {

  /** The published state: replaced whole on growth, so readers always see a consistent table. */
  private record Table(int[] slots, int[] hashes, String[] texts, SeriesKey[] keys) {}

  private volatile Table table = new Table(new int[2048], new int[1024], new String[1024], new SeriesKey[1024]);
  private int size;

  /** The hash {@link #find(char[], int, int)} expects: the same as {@link String#hashCode()}. */
  public static int hash(char[] text, int length) {
    int hash = 0;
    for (int i = 0; i < length; i++) {
      hash = 31 * hash + text[i];
    }
    return hash;
  }

  /** The id of the series whose canonical text is {@code text[0..length)}, or -1. */
  public int find(char[] text, int length, int hash) {
    Table current = table;
    int mask = current.slots.length - 1;
    for (int slot = mix(hash) & mask; ; slot = (slot + 1) & mask) {
      int entry = current.slots[slot];
      if (entry == 0) {
        return -1;
      }
      int id = entry - 1;
      if (current.hashes[id] == hash && sameText(current.texts[id], text, length)) {
        return id;
      }
    }
  }

  /** The id of a series by its canonical text, or -1 when it was never seen. */
  public int find(String canonicalText) {
    Table current = table;
    int hash = canonicalText.hashCode();
    int mask = current.slots.length - 1;
    for (int slot = mix(hash) & mask; ; slot = (slot + 1) & mask) {
      int entry = current.slots[slot];
      if (entry == 0) {
        return -1;
      }
      int id = entry - 1;
      if (current.hashes[id] == hash && canonicalText.equals(current.texts[id])) {
        return id;
      }
    }
  }

  /** The id of the series, registering it if it is new. */
  public int intern(SeriesKey key) {
    String text = key.text();
    int id = find(text);
    return id >= 0 ? id : register(text, key);
  }

  private synchronized int register(String text, SeriesKey key) {
    int existing = find(text);
    if (existing >= 0) {
      return existing;
    }
    Table current = table;
    int id = size;
    if (id == current.keys.length || (id + 1) * 2 > current.slots.length) {
      current = grown(current);
    }
    current.hashes[id] = text.hashCode();
    current.texts[id] = text;
    current.keys[id] = key;
    insert(current.slots, text.hashCode(), id);
    size = id + 1;
    table = current;
    return id;
  }

  private Table grown(Table old) {
    int capacity = old.keys.length * 2;
    int[] slots = new int[capacity * 2];
    for (int id = 0; id < size; id++) {
      insert(slots, old.hashes[id], id);
    }
    return new Table(
        slots,
        Arrays.copyOf(old.hashes, capacity),
        Arrays.copyOf(old.texts, capacity),
        Arrays.copyOf(old.keys, capacity));
  }

  private static void insert(int[] slots, int hash, int id) {
    int mask = slots.length - 1;
    int slot = mix(hash) & mask;
    while (slots[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = id + 1;
  }

  /** Spreads String hashes, whose low bits are weak for similar texts, over the table. */
  private static int mix(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private static boolean sameText(String stored, char[] text, int length) {
    // Null when a registration is still being published to this reader: a miss, and the caller
    // falls back to intern(), which looks again under the lock.
    if (stored == null || stored.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (stored.charAt(i) != text[i]) {
        return false;
      }
    }
    return true;
  }

  /** The key of a registered id. */
  public SeriesKey key(int id) {
    Table current = table;
    SeriesKey key = id >= 0 && id < current.keys.length ? current.keys[id] : null;
    if (key == null) {
      throw new IllegalArgumentException("unknown series id " + id);
    }
    return key;
  }

  public synchronized int size() {
    return size;
  }
}
