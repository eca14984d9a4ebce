package dev.sentinel.app.ingest;

import dev.sentinel.ingest.SeriesKey;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * Turns one series' name and labels, given as characters or UTF-8 bytes, into its id: builds the
 * canonical text ({@link SeriesKey#text()}) in a reused buffer and looks it up without a string,
 * registering the series only when it is new. One instance per request and thread; {@link #reset()}
 * between series.
 *
 * <p>Hot path of the protobuf receivers: a known series costs no allocation. Labels may arrive in
 * any order and are sorted here (insertion sort: senders usually send them sorted already).
 */
final class SeriesInterner {

  static final int MAX_LABELS = 64;

  private final PendingSeries series;
  // Name and label texts, as ranges of one buffer.
  private char[] text = new char[1024];
  private int used;
  private int nameStart;
  private int nameLength;
  private final int[] labelStart = new int[MAX_LABELS];
  private final int[] labelLength = new int[MAX_LABELS];
  private final int[] valueStart = new int[MAX_LABELS];
  private final int[] valueLength = new int[MAX_LABELS];
  private int labels;
  private char[] key = new char[1024];
  private int keyLength;

  /**
   * @param series registers new series when the batch is committed
   */
  SeriesInterner(PendingSeries series) {
    this.series = series;
  }

  void reset() {
    used = 0;
    nameLength = 0;
    labels = 0;
  }

  /**
   * Appends UTF-8 bytes to the text buffer.
   *
   * @return the start of the appended characters, or -1 when the bytes are not valid UTF-8
   */
  int appendUtf8(byte[] bytes, int offset, int length) {
    ensure(length); // UTF-8 never yields more chars than bytes
    int start = used;
    int end = offset + length;
    for (int i = offset; i < end; ) {
      int b = bytes[i++];
      if (b >= 0) {
        text[used++] = (char) b;
        continue;
      }
      int extra;
      int codePoint;
      if ((b & 0xe0) == 0xc0) {
        extra = 1;
        codePoint = b & 0x1f;
      } else if ((b & 0xf0) == 0xe0) {
        extra = 2;
        codePoint = b & 0x0f;
      } else if ((b & 0xf8) == 0xf0) {
        extra = 3;
        codePoint = b & 0x07;
      } else {
        return -1;
      }
      if (i + extra > end) {
        return -1;
      }
      for (int k = 0; k < extra; k++) {
        int next = bytes[i++];
        if ((next & 0xc0) != 0x80) {
          return -1;
        }
        codePoint = (codePoint << 6) | (next & 0x3f);
      }
      if (codePoint >= 0x10000) {
        text[used++] = Character.highSurrogate(codePoint);
        text[used++] = Character.lowSurrogate(codePoint);
      } else {
        text[used++] = (char) codePoint;
      }
    }
    return start;
  }

  /** Characters appended since {@code start}. */
  int usedSince(int start) {
    return used - start;
  }

  /** Appends a string to the text buffer and returns its start. */
  int append(String value) {
    ensure(value.length());
    value.getChars(0, value.length(), text, used);
    int start = used;
    used += value.length();
    return start;
  }

  private void ensure(int more) {
    if (used + more > text.length) {
      text = Arrays.copyOf(text, Math.max(text.length * 2, used + more));
    }
  }

  void name(int start, int length) {
    nameStart = start;
    nameLength = length;
  }

  void name(String name) {
    name(append(name), name.length());
  }

  boolean hasName() {
    return nameLength > 0;
  }

  /** The characters appended at {@code start}, as a string: for error messages only. */
  String text(int start, int length) {
    return new String(text, start, length);
  }

  String nameText() {
    return text(nameStart, nameLength);
  }

  /** Whether the name ends with {@code suffix}: read in place, without a string. */
  boolean nameEndsWith(String suffix) {
    int length = suffix.length();
    return nameLength >= length && nameEquals(nameStart + nameLength - length, length, suffix);
  }

  /** The value of label {@code name}, or null when the series has no such label. */
  String labelValue(String name) {
    for (int i = 0; i < labels; i++) {
      if (nameEquals(labelStart[i], labelLength[i], name)) {
        return text(valueStart[i], valueLength[i]);
      }
    }
    return null;
  }

  /** The labels as a sorted map, without label {@code except} (null: all of them). */
  TreeMap<String, String> labelMap(String except) {
    TreeMap<String, String> map = new TreeMap<>();
    for (int i = 0; i < labels; i++) {
      if (except == null || !nameEquals(labelStart[i], labelLength[i], except)) {
        map.put(text(labelStart[i], labelLength[i]), text(valueStart[i], valueLength[i]));
      }
    }
    return map;
  }

  boolean nameEquals(int start, int length, String expected) {
    if (length != expected.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (text[start + i] != expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  boolean isMetricName() {
    return JsonPointDecoder.isMetricName(text, nameStart, nameLength);
  }

  boolean isLabelName(int start, int length) {
    if (length == 0) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = text[start + i];
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      boolean more = (c >= '0' && c <= '9') || c == '.';
      if (!(letter || (i > 0 && more))) {
        return false;
      }
    }
    return true;
  }

  int labelCount() {
    return labels;
  }

  /**
   * Adds a label, keeping the labels sorted by name.
   *
   * @return null, or why the label was not added (too many labels, or its name given twice)
   */
  String label(int start, int length, int value, int valueLength) {
    if (labels == MAX_LABELS) {
      return "more than " + MAX_LABELS + " labels";
    }
    int at = labels;
    while (at > 0) {
      int order = compare(labelStart[at - 1], labelLength[at - 1], start, length);
      if (order == 0) {
        return "label '" + text(start, length) + "' is given twice";
      }
      if (order < 0) {
        break;
      }
      at--;
    }
    int moved = labels - at;
    System.arraycopy(labelStart, at, labelStart, at + 1, moved);
    System.arraycopy(labelLength, at, labelLength, at + 1, moved);
    System.arraycopy(valueStart, at, valueStart, at + 1, moved);
    System.arraycopy(this.valueLength, at, this.valueLength, at + 1, moved);
    labelStart[at] = start;
    labelLength[at] = length;
    valueStart[at] = value;
    this.valueLength[at] = valueLength;
    labels++;
    return null;
  }

  /**
   * Adds a label from strings; a label of the same name replaces the one there.
   *
   * @return null, or why the label was not added
   */
  String putLabel(String name, String value) {
    int start = append(name);
    int valueAt = append(value);
    for (int i = 0; i < labels; i++) {
      if (compare(labelStart[i], labelLength[i], start, name.length()) == 0) {
        valueStart[i] = valueAt;
        valueLength[i] = value.length();
        return null;
      }
    }
    return label(start, name.length(), valueAt, value.length());
  }

  private int compare(int aStart, int aLength, int bStart, int bLength) {
    int common = Math.min(aLength, bLength);
    for (int i = 0; i < common; i++) {
      int diff = text[aStart + i] - text[bStart + i];
      if (diff != 0) {
        return diff;
      }
    }
    return aLength - bLength;
  }

  /**
   * The id of the series named and labelled so far; a new one gets a provisional id until the
   * {@link PendingSeries} commits it.
   */
  int intern() {
    keyLength = 0;
    appendKey(text, nameStart, nameLength);
    if (labels > 0) {
      appendKey('{');
      for (int i = 0; i < labels; i++) {
        if (i > 0) {
          appendKey(',');
        }
        appendKey(text, labelStart[i], labelLength[i]);
        appendKey('=');
        appendKey('"');
        for (int c = valueStart[i], end = c + valueLength[i]; c < end; c++) {
          char ch = text[c];
          switch (ch) {
            case '"', '\\' -> {
              appendKey('\\');
              appendKey(ch);
            }
            case '\n' -> {
              appendKey('\\');
              appendKey('n');
            }
            default -> appendKey(ch);
          }
        }
        appendKey('"');
      }
      appendKey('}');
    }
    int id = series.find(key, keyLength);
    if (id != -1) {
      return id;
    }
    return series.add(new SeriesKey(nameText(), labelMap(null)));
  }

  private void appendKey(char[] source, int start, int length) {
    if (keyLength + length > key.length) {
      key = Arrays.copyOf(key, Math.max(key.length * 2, keyLength + length));
    }
    System.arraycopy(source, start, key, keyLength, length);
    keyLength += length;
  }

  private void appendKey(char c) {
    if (keyLength == key.length) {
      key = Arrays.copyOf(key, key.length * 2);
    }
    key[keyLength++] = c;
  }
}
