package dev.sentinel.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  /**
   * For one-shot commands: warnings and errors only, on standard error, so that standard output
   * holds just the command's answer (a script may read a key's secret from it).
   */
  static void quietForCommands() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.reset();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%-5level %logger{0} %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(console);
  }
}
