package dev.sentinel.detect;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Parses the timestamps a backtest accepts into epoch milliseconds: ISO-8601 instants ({@code
 * 2024-01-01T00:00:00Z}, with an offset, or without a zone, which is taken as UTC), the same with a
 * space instead of the {@code T}, a bare date, or an epoch number. Epoch numbers are told apart by
 * magnitude: below 10^11 they are seconds (10^11 s is the year 5138), otherwise milliseconds (10^11
 * ms is March 1973), so any realistic series is read correctly either way.
 */
final class CsvTimestamps {

  private static final double SECONDS_BELOW = 1e11;

  private CsvTimestamps() {}

  /** Epoch milliseconds of {@code text}; throws {@link IllegalArgumentException} naming it. */
  static long parse(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("timestamp is empty");
    }
    char first = trimmed.charAt(0);
    if (Character.isDigit(first) && isNumber(trimmed)) {
      double number = Double.parseDouble(trimmed);
      return Math.round(number < SECONDS_BELOW ? number * 1000 : number);
    }
    String iso =
        trimmed.length() > 10 && trimmed.charAt(10) == ' '
            ? trimmed.substring(0, 10) + 'T' + trimmed.substring(11)
            : trimmed;
    try {
      if (iso.endsWith("Z") || iso.endsWith("z")) {
        return Instant.parse(iso.substring(0, iso.length() - 1) + 'Z').toEpochMilli();
      }
      if (iso.length() == 10) {
        return LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      if (hasOffset(iso)) {
        return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
      }
      return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "timestamp '" + text + "' is neither ISO-8601 nor epoch seconds or milliseconds", e);
    }
  }

  private static boolean isNumber(String text) {
    boolean dot = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.' && !dot) {
        dot = true;
      } else if (!Character.isDigit(c)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a date-time after its 'T' carries an offset such as +02:00 or -0500. */
  private static boolean hasOffset(String iso) {
    int time = iso.indexOf('T');
    return time > 0 && (iso.indexOf('+', time) > 0 || iso.indexOf('-', time) > 0);
  }
}
