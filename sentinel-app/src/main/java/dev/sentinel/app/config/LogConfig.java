package dev.sentinel.app.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Logging. Sentinel's own loggers log at {@code level}; every library logs warnings and errors
 * only, unless {@code levels} asks for more.
 *
 * @param format {@code text} for people at a terminal, {@code json} for log pipelines
 * @param level Sentinel's own level: {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN} or
 *     {@code ERROR}
 * @param levels per logger, as {@code logger=LEVEL}, e.g. {@code org.flywaydb=INFO} or {@code
 *     dev.sentinel.workflow=DEBUG}; {@code OFF} silences one
 */
public record LogConfig(String format, String level, List<String> levels) {

  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  public LogConfig {
    if (!"text".equals(format) && !"json".equals(format)) {
      throw new IllegalArgumentException("format must be 'text' or 'json', was '" + format + "'");
    }
    level = level == null ? "INFO" : level.strip().toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException(
          "level must be one of TRACE, DEBUG, INFO, WARN, ERROR, was '" + level + "'");
    }
    levels = levels == null ? List.of() : List.copyOf(levels);
    for (String entry : levels) {
      int split = entry.indexOf('=');
      String named = split < 0 ? "" : entry.substring(split + 1).strip().toUpperCase(Locale.ROOT);
      if (split < 1 || !(LEVELS.contains(named) || named.equals("OFF"))) {
        throw new IllegalArgumentException(
            "levels entries must be logger=LEVEL (TRACE, DEBUG, INFO, WARN, ERROR or OFF), was '"
                + entry
                + "'");
      }
    }
  }

  public LogConfig(String format) {
    this(format, "INFO", List.of());
  }

  public static LogConfig defaults() {
    return new LogConfig("text");
  }
}
