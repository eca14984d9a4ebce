package dev.sentinel.app.http;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.audit.AuditTrail;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Records the refusals of an endpoint anyone can reach, in the log and in the audit trail, at a
 * bounded rate: the first refusal of each reason (forged, stale, replayed...) in a minute is
 * recorded in full, the rest of that minute only counted, and the count goes into the next recorded
 * refusal of that reason as {@code suppressed}. A storm of forged requests therefore writes at most
 * one audit row and one log line a minute per reason, instead of one each, no count is lost while
 * refusals go on, and a replay is not hidden behind a storm of forgeries.
 *
 * <p>Thread-safe: requests run on many virtual threads; the decision is taken under a lock, the
 * writing outside it.
 */
final class RefusalLog {

  static final long WINDOW_MILLIS = 60_000;

  private final AuditTrail audit;
  private final Clock clock;
  private final Logger log;
  private final String endpoint;

  /** Per reason; the endpoint's code passes a handful of fixed reasons, so this stays small. */
  private final Map<String, Window> windows = new HashMap<>();

  private static final class Window {
    long start = Long.MIN_VALUE;
    long suppressed;
  }

  /**
   * @param endpoint names the endpoint in the log line, e.g. "Slack interaction"
   */
  RefusalLog(AuditTrail audit, Clock clock, Logger log, String endpoint) {
    this.audit = audit;
    this.clock = clock;
    this.log = log;
    this.endpoint = endpoint;
  }

  /**
   * Counts a refusal, and records it when it is the first of its minute.
   *
   * @param details what the audit row carries (reason, remote address...); copied
   * @return whether this refusal was written
   */
  boolean refused(String actor, String incidentId, String reason, Map<String, String> details) {
    long now = clock.millis();
    long before;
    synchronized (this) {
      Window window = windows.computeIfAbsent(reason, r -> new Window());
      if (window.start != Long.MIN_VALUE && now - window.start < WINDOW_MILLIS) {
        window.suppressed++;
        return false;
      }
      window.start = now;
      before = window.suppressed;
      window.suppressed = 0;
    }
    Map<String, String> row = new LinkedHashMap<>(details);
    if (before > 0) {
      row.put("suppressed", Long.toString(before));
    }
    audit.append(
        AuditRecord.of(
            now,
            actor,
            AuditAction.APPROVAL_REFUSED,
            incidentId == null || incidentId.isBlank() ? null : incidentId,
            row));
    log.warn(
        "refused a {} ({}) from {}; {} more refused since the last one logged; further refusals"
            + " within a minute are only counted",
        endpoint,
        reason,
        details.getOrDefault("remoteAddress", "?"),
        before);
    return true;
  }

  /** Refusals counted but not yet written. */
  synchronized long pending() {
    return windows.values().stream().mapToLong(window -> window.suppressed).sum();
  }
}
