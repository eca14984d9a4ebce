package dev.sentinel.simulator;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One line of the simulator's state file: a kind, then {@code name=value} fields separated by
 * spaces, e.g. {@code fault service=db kind=MEMORY_LEAK start=1715781600000 until=cleared}.
 *
 * <p>Values are percent-escaped so that a value never contains a space, an {@code =}, a comma (list
 * items are joined with commas), a {@code %}, a line break or another control character; the rest,
 * including non-ASCII text, is written as it is. Every getter that meets a missing or malformed
 * field throws a {@link StateFileException} naming the file, the line and the field; {@link
 * #requireAllRead()} catches fields nobody asked for (a typo in a hand edit).
 */
final class StateLine {

  private static final String HEX = "0123456789ABCDEF";

  private final String where;
  private final String kind;
  private final Map<String, String> fields = new LinkedHashMap<>();
  private final Set<String> read = new HashSet<>();

  private StateLine(String where, String kind) {
    this.where = where;
    this.kind = kind;
  }

  /** Splits a line into its kind and raw (still escaped) fields. */
  static StateLine parse(String source, int number, String text) {
    String[] tokens = text.strip().split(" +");
    StateLine line = new StateLine(source + ", line " + number, tokens[0]);
    for (String token : Arrays.asList(tokens).subList(1, tokens.length)) {
      int equals = token.indexOf('=');
      if (equals < 1) {
        throw line.error("expected name=value, found '" + token + "'");
      }
      if (line.fields.put(token.substring(0, equals), token.substring(equals + 1)) != null) {
        throw line.error("field '" + token.substring(0, equals) + "' appears twice");
      }
    }
    return line;
  }

  String kind() {
    return kind;
  }

  String text(String name) {
    return unescape(name, raw(name));
  }

  long number(String name) {
    String value = raw(name);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw error("field '" + name + "' should be a whole number, found '" + value + "'");
    }
  }

  int integer(String name) {
    long value = number(name);
    if (value != (int) value) {
      throw error("field '" + name + "' is out of range: " + value);
    }
    return (int) value;
  }

  /** Epoch milliseconds, or {@code word} standing for {@code meaning} ("never", "cleared"). */
  long millis(String name, String word, long meaning) {
    return raw(name).equals(word) ? meaning : number(name);
  }

  /** A comma-separated list; an empty value is an empty list. */
  List<String> list(String name) {
    String value = raw(name);
    if (value.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(value.split(",", -1)).map(item -> unescape(name, item)).toList();
  }

  /** The fields whose names start with {@code prefix}, by the rest of their names, unescaped. */
  Map<String, String> withPrefix(String prefix) {
    Map<String, String> found = new TreeMap<>();
    for (String name : fields.keySet()) {
      if (name.startsWith(prefix)) {
        found.put(name.substring(prefix.length()), text(name));
      }
    }
    return found;
  }

  /** Refuses fields that no getter asked for. */
  void requireAllRead() {
    for (String name : fields.keySet()) {
      if (!read.contains(name)) {
        throw error("unknown field '" + name + "' in a '" + kind + "' line");
      }
    }
  }

  StateFileException error(String problem) {
    return new StateFileException(where + ": " + problem);
  }

  private String raw(String name) {
    String value = fields.get(name);
    if (value == null) {
      throw error("a '" + kind + "' line needs the field '" + name + "'");
    }
    read.add(name);
    return value;
  }

  static String escape(String value) {
    StringBuilder escaped = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' || c == ' ' || c == '=' || c == ',' || c < 0x20 || c == 0x7f) {
        escaped.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }

  private String unescape(String name, String value) {
    StringBuilder text = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '%') {
        text.append(c);
        continue;
      }
      int high = i + 2 < value.length() ? HEX.indexOf(value.charAt(i + 1)) : -1;
      int low = high < 0 ? -1 : HEX.indexOf(value.charAt(i + 2));
      if (low < 0) {
        throw error("field '" + name + "' has a broken escape at '" + value.substring(i) + "'");
      }
      text.append((char) (high << 4 | low));
      i += 2;
    }
    return text.toString();
  }
}
