package dev.sentinel.app.notify;

import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live changes to incidents on this instance, for the console's server-sent events: each change is
 * {@code {"incidentId": ..., "kind": ...}}, and a console that hears one re-reads what it shows.
 * Subscribers are called on the thread that made the change and must be quick.
 */
public final class IncidentFeed {

  private static final Logger log = LoggerFactory.getLogger(IncidentFeed.class);

  private final CopyOnWriteArrayList<Consumer<Map<String, String>>> subscribers =
      new CopyOnWriteArrayList<>();

  /** Subscribes; closing the returned handle unsubscribes. */
  public AutoCloseable subscribe(Consumer<Map<String, String>> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  public void changed(String incidentId, String kind) {
    Map<String, String> change = Map.of("incidentId", incidentId, "kind", kind);
    for (Consumer<Map<String, String>> subscriber : subscribers) {
      try {
        subscriber.accept(change);
      } catch (RuntimeException e) {
        // A console that went away: drop it rather than fail the change for everyone.
        log.debug("dropping a live subscriber", e);
        subscribers.remove(subscriber);
      }
    }
  }

  public int subscribers() {
    return subscribers.size();
  }
}
