package dev.sentinel.incident;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which alerts fire now, and on which incident: what dedupes Alertmanager's re-sends and keeps an
 * incident with a firing alert from being swept as quiet. In memory, one lock: alerts are few (tens
 * a minute, not points a second). After a restart it starts empty, so a re-sent alert joins its
 * incident once more, and a resolved alert that was never seen firing is only noted.
 */
final class FiringAlerts {

  /** At most this many alerts are tracked; beyond it the one that started first is forgotten. */
  static final int CAPACITY = 50_000;

  record Firing(String incidentId, long startsAtMillis) {}

  private final Map<String, Firing> byFingerprint = new HashMap<>();
  private final Map<String, Long> newestStartByIncident = new HashMap<>();

  synchronized Optional<Firing> find(String fingerprint) {
    return Optional.ofNullable(byFingerprint.get(fingerprint));
  }

  synchronized void fire(String fingerprint, String incidentId, long startsAtMillis) {
    if (byFingerprint.size() >= CAPACITY && !byFingerprint.containsKey(fingerprint)) {
      byFingerprint.entrySet().stream()
          .min(Map.Entry.comparingByValue(Comparator.comparingLong(Firing::startsAtMillis)))
          .ifPresent(oldest -> byFingerprint.remove(oldest.getKey()));
    }
    byFingerprint.put(fingerprint, new Firing(incidentId, startsAtMillis));
    newestStartByIncident.merge(incidentId, startsAtMillis, Math::max);
  }

  synchronized Optional<Firing> resolve(String fingerprint) {
    return Optional.ofNullable(byFingerprint.remove(fingerprint));
  }

  /** Whether any alert still fires on the incident. */
  synchronized boolean firesOn(String incidentId) {
    return byFingerprint.values().stream().anyMatch(f -> f.incidentId().equals(incidentId));
  }

  /**
   * Once no alert fires on the incident any more: when the newest of its alerts began (and the
   * incident is forgotten here); empty while another alert still fires on it.
   */
  synchronized OptionalLong silenced(String incidentId) {
    if (firesOn(incidentId)) {
      return OptionalLong.empty();
    }
    Long newest = newestStartByIncident.remove(incidentId);
    return newest == null ? OptionalLong.empty() : OptionalLong.of(newest);
  }
}
