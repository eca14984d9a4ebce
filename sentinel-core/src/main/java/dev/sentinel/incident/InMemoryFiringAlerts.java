package dev.sentinel.incident;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Firing alerts in memory, one lock: for tests and single-process use. After a restart it starts
 * empty, so a re-sent alert joins its incident once more, and a resolved alert that was never seen
 * firing is only noted; the application keeps them in its state store instead.
 */
public final class InMemoryFiringAlerts implements FiringAlerts {

  /** At most this many alerts are tracked; beyond it the one that started first is forgotten. */
  static final int CAPACITY = 50_000;

  private final Map<String, Firing> byFingerprint = new HashMap<>();
  private final Map<String, Long> newestStartByIncident = new HashMap<>();

  @Override
  public synchronized Optional<Firing> find(String fingerprint) {
    return Optional.ofNullable(byFingerprint.get(fingerprint));
  }

  @Override
  public synchronized void fire(String fingerprint, String incidentId, long startsAtMillis) {
    if (byFingerprint.size() >= CAPACITY && !byFingerprint.containsKey(fingerprint)) {
      byFingerprint.entrySet().stream()
          .min(Map.Entry.comparingByValue(Comparator.comparingLong(Firing::startsAtMillis)))
          .ifPresent(oldest -> byFingerprint.remove(oldest.getKey()));
    }
    byFingerprint.put(fingerprint, new Firing(incidentId, startsAtMillis));
    newestStartByIncident.merge(incidentId, startsAtMillis, Math::max);
  }

  @Override
  public synchronized Optional<Firing> resolve(String fingerprint) {
    return Optional.ofNullable(byFingerprint.remove(fingerprint));
  }

  @Override
  public synchronized boolean firesOn(String incidentId) {
    return byFingerprint.values().stream().anyMatch(f -> f.incidentId().equals(incidentId));
  }

  @Override
  public synchronized OptionalLong silenced(String incidentId) {
    if (firesOn(incidentId)) {
      return OptionalLong.empty();
    }
    Long newest = newestStartByIncident.remove(incidentId);
    return newest == null ? OptionalLong.empty() : OptionalLong.of(newest);
  }
}
