package dev.sentinel.app.http;

import dev.sentinel.app.config.ShortDuration;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a point in time from a query parameter: epoch milliseconds, RFC 3339, or a look-back such
 * as {@code 15m}, {@code 2h}, {@code 7d} (meaning that long before now).
 */
final class QueryTime {

  private QueryTime() {}

  static long parse(String parameter, String text, long nowMillis) {
    String value = text.strip();
    if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
      return Long.parseLong(value);
    }
    Optional<Duration> lookBack = ShortDuration.parse(value);
    if (lookBack.isPresent()) {
      return nowMillis - lookBack.get().toMillis();
    }
    try {
      return OffsetDateTime.parse(value).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          "query parameter '"
              + parameter
              + "' must be epoch milliseconds, RFC 3339 (2026-01-31T12:00:00Z) or a look-back"
              + " like 15m, 2h, 7d; got '"
              + text
              + "'");
    }
  }

  static int limit(String text, int fallback, int max) {
    if (text == null) {
      return fallback;
    }
    try {
      int limit = Integer.parseInt(text.strip());
      if (limit < 1 || limit > max) {
        throw new NumberFormatException();
      }
      return limit;
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          "query parameter 'limit' must be an integer in 1.." + max + "; got '" + text + "'");
    }
  }
}
