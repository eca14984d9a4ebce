package dev.sentinel.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import dev.sentinel.app.config.LogConfig;
import java.net.URL;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Chooses the Logback configuration before the first logger is created. */
final class Logging {

  /**
   * Sentinel's own loggers, which log at {@code log.level}: its classes, and the loggers that tell
   * the loop's story by name (an incident opened, a workflow step, the demo, the history store).
   */
  static final List<String> OWN_LOGGERS =
      List.of("dev.sentinel", "incident", "workflow", "demo", "telemetry");

  private Logging() {}

  static void configure(LogConfig config) {
    boolean chosenByUser = System.getProperty("logback.configurationFile") != null;
    String file = "json".equals(config.format()) ? "logback-json.xml" : "logback.xml";
    if (!chosenByUser) {
      System.setProperty("logback.configurationFile", file);
    }
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      if (!chosenByUser && !configuredFrom(context, file)) {
        // Something logged before the configuration was read (a warning about it, say): Logback
        // then started with its default file, which is redone here in the chosen format.
        reconfigure(context, file);
      }
      for (String own : OWN_LOGGERS) {
        context.getLogger(own).setLevel(Level.toLevel(config.level()));
      }
      for (String entry : config.levels()) {
        int split = entry.indexOf('=');
        context
            .getLogger(entry.substring(0, split).strip())
            .setLevel(Level.toLevel(entry.substring(split + 1).strip()));
      }
      // java.util.logging (Lucene's, for one) through the same appender and format; the
      // propagator keeps JUL from formatting records that Logback would drop.
      LevelChangePropagator propagator = new LevelChangePropagator();
      propagator.setContext(context);
      propagator.setResetJUL(true);
      context.addListener(propagator);
      propagator.start();
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /** Whether Logback read {@code file} when it started (it notes the URL it configured from). */
  private static boolean configuredFrom(LoggerContext context, String file) {
    URL main = ConfigurationWatchListUtil.getMainWatchURL(context);
    return main != null && main.getPath().endsWith("/" + file);
  }

  private static void reconfigure(LoggerContext context, String file) {
    URL url = Logging.class.getClassLoader().getResource(file);
    if (url == null) {
      return;
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(url);
    } catch (JoranException e) {
      throw new IllegalStateException("the bundled " + file + " is invalid", e);
    }
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
