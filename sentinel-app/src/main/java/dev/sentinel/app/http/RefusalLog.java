package dev.sentinel.app.http;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.audit.AuditTrail;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Records the refusals of an endpoint anyone can reach, in the log and in the audit trail, at a
 * bounded rate: the first refusal of a minute is recorded in full, the rest of that minute only
 * counted, and the count goes into the next recorded refusal as {@code suppressed}. A storm of
 * forged requests therefore writes at most one audit row and one log line a minute, instead of one
 * each, and no count is lost while refusals go on.
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
  private long windowStart = Long.MIN_VALUE;
  private long suppressed;

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
      if (windowStart != Long.MIN_VALUE && now - windowStart < WINDOW_MILLIS) {
        suppressed++;
        return false;
      }
      windowStart = now;
      before = suppressed;
      suppressed = 0;
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
    return suppressed;
  }
}
