package dev.sentinel.app;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an assembly has started, stopped in the reverse order of start. A part that fails to stop is
 * logged and the others still stop; an assembly whose start fails stops what it had started.
 */
final class StopOrder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StopOrder.class);

  private final List<AutoCloseable> parts = new ArrayList<>();

  /** Registers a started part; it stops before every part registered earlier. */
  <T extends AutoCloseable> T add(T part) {
    parts.add(part);
    return part;
  }

  boolean isEmpty() {
    return parts.isEmpty();
  }

  int size() {
    return parts.size();
  }

  /** Stops every part, newest first; how many failed to stop. */
  int stop() {
    int failed = 0;
    for (AutoCloseable part : parts.reversed()) {
      try {
        part.close();
      } catch (Exception e) {
        failed++;
        log.warn("stopping {} failed", part, e);
      }
    }
    parts.clear();
    return failed;
  }

  @Override
  public void close() {
    stop();
  }
}
