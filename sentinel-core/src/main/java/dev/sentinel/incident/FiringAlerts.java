package dev.sentinel.incident;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which alerts of other systems fire now, and on which incident: what dedupes Alertmanager's
 * re-sends and keeps an incident with a firing alert from being swept as quiet. Kept where the
 * incidents are, so that a restart, or another instance behind the same load balancer, knows the
 * same: a re-send is a duplicate wherever it lands, and no instance sweeps an incident whose alert
 * fires.
 *
 * <p>Implementations are thread-safe. Alerts are few (tens a minute), so each call may be a round
 * trip to the store.
 */
public interface FiringAlerts {

  /** An alert that fires on an incident since {@code startsAtMillis}. */
  record Firing(String incidentId, long startsAtMillis) {}

  /** The incident the alert with this fingerprint fires on, if it fires. */
  Optional<Firing> find(String fingerprint);

  /** Notes that the alert fires on the incident (again, or on another incident than before). */
  void fire(String fingerprint, String incidentId, long startsAtMillis);

  /** Notes that the alert stopped firing; what it fired on, if it was known to fire. */
  Optional<Firing> resolve(String fingerprint);

  /** Whether any alert still fires on the incident. */
  boolean firesOn(String incidentId);

  /**
   * Once no alert fires on the incident any more: when the newest of its alerts began, and the
   * incident is forgotten here; empty while another alert still fires on it, or when none was
   * known.
   */
  OptionalLong silenced(String incidentId);
}
