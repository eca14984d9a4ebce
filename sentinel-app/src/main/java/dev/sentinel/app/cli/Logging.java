package dev.sentinel.app.cli;

/** Chooses the Logback configuration before the first logger is created. */
final class Logging {

  private Logging() {}

  static void configure(String format) {
    if (System.getProperty("logback.configurationFile") != null) {
      return;
    }
    System.setProperty(
        "logback.configurationFile", "json".equals(format) ? "logback-json.xml" : "logback.xml");
  }
}
