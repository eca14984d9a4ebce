package dev.sentinel.app.config;

/**
 * Logging.
 *
 * @param format {@code text} for people at a terminal, {@code json} for log pipelines
 */
public record LogConfig(String format) {

  public LogConfig {
    if (!"text".equals(format) && !"json".equals(format)) {
      throw new IllegalArgumentException("format must be 'text' or 'json', was '" + format + "'");
    }
  }

  public static LogConfig defaults() {
    return new LogConfig("text");
  }
}
