package dev.sentinel.app.config;

import java.util.Locale;

/**
 * Where the console's incident page links out to, as URL templates; empty leaves the link out.
 *
 * @param grafanaUrl a series in Grafana (or any dashboard): {@code {series}} is replaced by the
 *     series, URL-encoded, {@code {from}} and {@code {to}} by the chart's window in epoch
 *     milliseconds, e.g. {@code
 *     https://grafana.example/explore?left={"queries":[{"expr":"{series}"}],"range":{"from":"{from}","to":"{to}"}}}
 * @param runbookUrl a runbook the analysis cited: {@code {file}} is replaced by its file name and
 *     {@code {title}} by its section's title, both URL-encoded, e.g. {@code
 *     https://git.example/ops/runbooks/blob/main/{file}}
 */
public record ConsoleLinks(String grafanaUrl, String runbookUrl) {

  public ConsoleLinks {
    grafanaUrl = checked("grafanaUrl", grafanaUrl, "{series}");
    runbookUrl = checked("runbookUrl", runbookUrl, "{file}");
  }

  public static ConsoleLinks defaults() {
    return new ConsoleLinks("", "");
  }

  private static String checked(String key, String template, String placeholder) {
    String value = template == null ? "" : template.strip();
    if (value.isEmpty()) {
      return value;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new IllegalArgumentException(
          "server.console."
              + key
              + " must be an http:// or https:// URL template, was '"
              + value
              + "'");
    }
    if (!value.contains(placeholder)) {
      throw new IllegalArgumentException(
          "server.console."
              + key
              + " must contain "
              + placeholder
              + " where the link names it, was '"
              + value
              + "'");
    }
    return value;
  }
}
