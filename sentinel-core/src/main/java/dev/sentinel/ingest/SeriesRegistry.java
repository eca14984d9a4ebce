package dev.sentinel.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interns series keys to dense int ids, so that the hot path moves ints instead of strings and
 * detector state can live in flat arrays indexed by id.
 *
 * <p>Lookups take no lock and allocate nothing: an open-addressing table maps the canonical text's
 * hash to ids, and a decoder can look a series up straight from the characters it parsed ({@link
 * #find(char[], int, int)}). Registering a new series takes a short lock and publishes a new table
 * when the old one fills up. A lookup racing a registration may miss the newcomer and fall back to
 * {@link #intern}, which finds it under the lock. Ids are never reused.
 *
 * <p>Memory: a series is kept as its canonical text only, one byte a character when every character
 * fits in Latin-1 (two otherwise), packed end to end in one byte array, plus 16 bytes of table: its
 * hash, where its text ends, and two slots. No key object, label map or string is retained per
 * series; at a million series that is the difference between about 60 and 450 bytes. {@link
 * #key(int)} therefore parses the text into a new key on each call: callers on a hot path resolve a
 * series once per batch, not once per point. A key that its text cannot express unambiguously (a
 * name with a brace, a label name with a quote) is also kept whole, aside.
 *
 * <p>Publication: a registration writes the hash, the end and the text before it stores the slot
 * with release semantics, and readers load slots with acquire semantics, so a reader that sees an
 * id sees its text. A table's slots only ever name ids whose text is in that table's array: when
 * either array must grow, the slots are rebuilt into a new table.
 */
public final class SeriesRegistry {

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(int[].class);

  /** Marks, in {@code ends}, a text stored as two bytes (big-endian) per character. */
  private static final int TWO_BYTES = 0x8000_0000;

  /** Ends are ints with a flag bit, and arrays stop a little short of 2^31 elements. */
  private static final int MAX_TEXT_BYTES = Integer.MAX_VALUE - 8;

  private static final int INITIAL_IDS = 1024;
  private static final int INITIAL_TEXT_BYTES = 32 * 1024;

  /**
   * The published state: replaced whole on growth, so readers always see a consistent table. The
   * text of id {@code i} is {@code text[end(i - 1), end(i))}, where {@code end(-1)} is 0.
   */
  private record Table(int[] slots, int[] hashes, int[] ends, byte[] text) {

    int start(int id) {
      return id == 0 ? 0 : ends[id - 1] & ~TWO_BYTES;
    }

    int end(int id) {
      return ends[id] & ~TWO_BYTES;
    }

    boolean twoBytes(int id) {
      return (ends[id] & TWO_BYTES) != 0;
    }

    char charAt(int id, int start, int index) {
      if (!twoBytes(id)) {
        return (char) (text[start + index] & 0xFF);
      }
      int at = start + 2 * index;
      return (char) ((text[at] & 0xFF) << 8 | (text[at + 1] & 0xFF));
    }

    /** How many characters the text of {@code id} has. */
    int length(int id, int start) {
      int bytes = end(id) - start;
      return twoBytes(id) ? bytes / 2 : bytes;
    }
  }

  private volatile Table table =
      new Table(
          new int[2 * INITIAL_IDS],
          new int[INITIAL_IDS],
          new int[INITIAL_IDS],
          new byte[INITIAL_TEXT_BYTES]);

  /** Keys whose canonical text does not parse back to them, by id; almost always empty. */
  private final Map<Integer, SeriesKey> irregular = new ConcurrentHashMap<>();

  private int size;
  private int textBytes;

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
      int entry = (int) SLOTS.getAcquire(current.slots, slot);
      if (entry == 0) {
        return -1;
      }
      int id = entry - 1;
      if (current.hashes[id] == hash && sameText(current, id, text, length)) {
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
      int entry = (int) SLOTS.getAcquire(current.slots, slot);
      if (entry == 0) {
        return -1;
      }
      int id = entry - 1;
      if (current.hashes[id] == hash && sameText(current, id, canonicalText)) {
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
    boolean oneByte = fitsOneByte(text);
    int bytes = oneByte ? text.length() : 2 * text.length();
    if ((long) textBytes + bytes > MAX_TEXT_BYTES) {
      throw new IllegalStateException(
          "the series registry holds 2 GiB of series text, and cannot take " + text);
    }
    Table current = table;
    int id = size;
    if (id == current.hashes.length || textBytes + bytes > current.text.length) {
      current = grown(current, textBytes + bytes);
    }
    int start = textBytes;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (oneByte) {
        current.text[start + i] = (byte) c;
      } else {
        current.text[start + 2 * i] = (byte) (c >>> 8);
        current.text[start + 2 * i + 1] = (byte) c;
      }
    }
    textBytes = start + bytes;
    current.hashes[id] = text.hashCode();
    current.ends[id] = oneByte ? textBytes : textBytes | TWO_BYTES;
    if (!parsesBack(text, key)) {
      irregular.put(id, key);
    }
    insert(current.slots, text.hashCode(), id);
    size = id + 1;
    table = current;
    return id;
  }

  private static boolean parsesBack(String text, SeriesKey key) {
    try {
      return SeriesKey.parse(text).equals(key);
    } catch (IllegalArgumentException e) {
      // Not canonical as written (e.g. a name that is only a brace): the key is kept aside.
      return false;
    }
  }

  /**
   * A copy of the table with room for one more id and for {@code neededTextBytes} of text, and
   * slots rebuilt into a new array (see the class comment on publication).
   */
  private Table grown(Table old, int neededTextBytes) {
    int capacity = size == old.hashes.length ? old.hashes.length * 2 : old.hashes.length;
    int textCapacity = old.text.length;
    while (textCapacity < neededTextBytes) {
      // Grows by half, not double: the text is most of the registry, and doubling would leave up
      // to half of it empty.
      textCapacity = (int) Math.min(MAX_TEXT_BYTES, textCapacity + (long) textCapacity / 2);
    }
    int[] slots = new int[capacity * 2];
    for (int id = 0; id < size; id++) {
      insert(slots, old.hashes[id], id);
    }
    return new Table(
        slots,
        Arrays.copyOf(old.hashes, capacity),
        Arrays.copyOf(old.ends, capacity),
        Arrays.copyOf(old.text, textCapacity));
  }

  /** Stores the id in its slot with release semantics: whoever sees the id sees its text. */
  private static void insert(int[] slots, int hash, int id) {
    int mask = slots.length - 1;
    int slot = mix(hash) & mask;
    while (slots[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    SLOTS.setRelease(slots, slot, id + 1);
  }

  /** Spreads String hashes, whose low bits are weak for similar texts, over the table. */
  private static int mix(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private static boolean fitsOneByte(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameText(Table table, int id, char[] text, int length) {
    int start = table.start(id);
    if (table.length(id, start) != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (table.charAt(id, start, i) != text[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameText(Table table, int id, String text) {
    int start = table.start(id);
    int length = text.length();
    if (table.length(id, start) != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (table.charAt(id, start, i) != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The canonical text of a registered id (see {@link SeriesKey#text()}); a new string. */
  public String text(int id) {
    Table current = table;
    if (id < 0 || id >= current.ends.length || current.ends[id] == 0) {
      throw new IllegalArgumentException("unknown series id " + id);
    }
    int start = current.start(id);
    int length = current.length(id, start);
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = current.charAt(id, start, i);
    }
    return new String(chars);
  }

  /** The key of a registered id: a new key parsed from its text (see the class comment). */
  public SeriesKey key(int id) {
    String text = text(id);
    SeriesKey aside = irregular.isEmpty() ? null : irregular.get(id);
    return aside != null ? aside : SeriesKey.parse(text);
  }

  public synchronized int size() {
    return size;
  }
}
