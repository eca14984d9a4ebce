package dev.sentinel.app.http;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a point in time from a query parameter: epoch milliseconds, RFC 3339, or a look-back such
 * as {@code 15m}, {@code 2h}, {@code 7d} (meaning that long before now).
 */
final class QueryTime {

  private static final Pattern LOOK_BACK = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private QueryTime() {}

  static long parse(String parameter, String text, long nowMillis) {
    String value = text.strip();
    if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
      return Long.parseLong(value);
    }
    Matcher lookBack = LOOK_BACK.matcher(value);
    if (lookBack.matches()) {
      long amount = Long.parseLong(lookBack.group(1));
      Duration duration =
          switch (lookBack.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
      return nowMillis - duration.toMillis();
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
