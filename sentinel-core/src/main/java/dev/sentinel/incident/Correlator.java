package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups anomalies into incidents by shared labels: an anomaly joins the open incident of its
 * group; a group whose incident was resolved moments ago reopens it (a flapping series does not
 * open an incident per flap); otherwise a new incident opens.
 *
 * <p>Alerts from other systems' rules ({@link #accept(Alert, long)}) are signals of the same kind:
 * a firing alert opens or joins its group's incident as an anomaly would; a resolved one lets the
 * incident resolve when nothing else keeps it open (see {@link #accept(Alert, long)}).
 *
 * <p>Time is the anomalies' own timestamps (and the caller's clock for {@link #sweep}), so replays
 * and tests are deterministic. Detection never calls it directly: anomalies reach it through the
 * {@link IncidentDesk}'s queue and thread. Thread-safe all the same (alerts arrive on HTTP threads,
 * sweeps on a timer), and the store makes each attachment atomic.
 */
public final class Correlator {

  private static final Logger log = LoggerFactory.getLogger(Correlator.class);

  private final CorrelationConfig config;
  private final IncidentStore store;
  private final Supplier<String> ids;
  private final IncidentListener listener;
  private final FiringAlerts alerts;
  private final Optional<SemanticDedup> dedup;

  public Correlator(
      CorrelationConfig config,
      IncidentStore store,
      Supplier<String> ids,
      IncidentListener listener) {
    this(config, store, ids, listener, Optional.empty());
  }

  /**
   * @param dedup joins a new group's anomalies to an open incident that describes the same problem,
   *     and remembers opened incidents; empty to group by labels alone
   */
  public Correlator(
      CorrelationConfig config,
      IncidentStore store,
      Supplier<String> ids,
      IncidentListener listener,
      Optional<SemanticDedup> dedup) {
    this(config, store, new InMemoryFiringAlerts(), ids, listener, dedup);
  }

  /**
   * @param alerts where firing alerts are kept: share it between instances (and restarts) that
   *     share the incident store
   */
  public Correlator(
      CorrelationConfig config,
      IncidentStore store,
      FiringAlerts alerts,
      Supplier<String> ids,
      IncidentListener listener,
      Optional<SemanticDedup> dedup) {
    this.config = config;
    this.store = store;
    this.alerts = alerts;
    this.ids = ids;
    this.listener = listener;
    this.dedup = dedup;
  }

  /**
   * Puts the anomaly into its incident and tells the listener, which records the decision (the
   * timeline, the audit trail, the workflow case, the outbox). Meant for the {@link IncidentDesk}'s
   * thread, never a detection thread, inside one transaction: so the decision is written all or
   * nothing, and after a failure the same anomaly can be tried again.
   *
   * @throws RuntimeException when the store or the listener failed; with the transaction rolled
   *     back, nothing was recorded
   */
  public void accept(Anomaly anomaly) {
    Attachment attachment =
        dedup
            .map(semantic -> attachDeduplicated(anomaly, semantic))
            .orElseGet(() -> attachByLabels(anomaly));
    Incident incident = attachment.incident();
    switch (attachment.outcome()) {
      case OPENED -> listener.opened(incident, anomaly);
      case REOPENED -> listener.reopened(incident, anomaly);
      case ATTACHED -> listener.attached(incident, anomaly, attachment.newSeries());
    }
  }

  private Attachment attachByLabels(Anomaly anomaly) {
    return attach(groupLabels(anomaly.series()::label), anomaly, anomaly.series().name());
  }

  /**
   * Labels first, meaning second: a group that has an incident (open, or resolved within the reopen
   * window) uses it; a group that would open a new one joins the open incident that reads the same,
   * if the memory knows one. The target's group is attached without reopening: if the target
   * resolved between the check and the attach (a narrow race), a new incident opens under the
   * target's labels and is reported as opened, so the anomaly is never lost.
   */
  private Attachment attachDeduplicated(Anomaly anomaly, SemanticDedup dedup) {
    Map<String, String> group = groupLabels(anomaly.series()::label);
    String groupKey = groupKey(group, anomaly.series().name());
    long reopenWindow = config.windowSeconds() * 1000;
    if (dedup.ownsIncident(groupKey, anomaly, reopenWindow)) {
      Attachment attachment = attach(group, anomaly, anomaly.series().name());
      dedup.attached(groupKey, attachment);
      return attachment;
    }
    // A new group: decide, open and remember as one step (see SemanticDedup).
    synchronized (dedup) {
      Optional<SemanticDedup.Match> match = dedup.match(groupKey, group, anomaly, reopenWindow);
      if (match.isEmpty()) {
        Attachment attachment = attach(group, anomaly, anomaly.series().name());
        dedup.attached(groupKey, attachment);
        return attachment;
      }
      Incident target = match.get().incident();
      Attachment joined =
          store.attach(
              target.groupKey(), target.groupLabels(), anomaly, 0, config.maxAnomaliesKept(), ids);
      if (joined.outcome() != Attachment.Outcome.ATTACHED) {
        log.warn(
            "incident {} closed while {} was being joined to it; opened {} instead",
            target.id(),
            groupKey,
            joined.incident().id());
      } else if (match.get().first()) {
        listener.deduplicated(
            joined.incident(),
            anomaly,
            groupKey,
            match.get().similarity(),
            match.get().description());
      }
      return joined;
    }
  }

  /**
   * Takes an alert from another system's rule. A firing alert opens, reopens or joins the incident
   * of its group (its labels, by {@code groupBy}) through the same {@link IncidentStore#attach} as
   * an anomaly; a re-send of an alert that already fires on an unresolved incident is a duplicate
   * (by fingerprint). A resolved alert is noted on its incident, and resolves it when all of these
   * hold: no other alert fires on it, nobody works on it (it is still OPEN: the workflow or a human
   * owns the other statuses), and no signal arrived after the newest of its alerts began (else the
   * usual quiet-time {@link #sweep} decides). While any alert fires on an incident, the sweep
   * leaves it open.
   *
   * @param nowMillis the time of a resolution when the alert carries no end time
   * @throws RuntimeException when the incident store fails: unlike a detector's anomaly the alert
   *     is not kept elsewhere, so the caller should let the sender retry
   */
  public AlertOutcome accept(Alert alert, long nowMillis) {
    return alert.firing() ? fire(alert) : resolve(alert, nowMillis);
  }

  private AlertOutcome fire(Alert alert) {
    Optional<FiringAlerts.Firing> known = alerts.find(alert.fingerprint());
    if (known.isPresent()
        && store.find(known.get().incidentId()).map(i -> i.status().isOpen()).orElse(false)) {
      return AlertOutcome.DUPLICATE;
    }
    // Alerts with none of the groupBy labels group by their name, as anomalies by their metric.
    Attachment attachment =
        attach(groupLabels(alert::label), alert.signal(), Alert.SERIES + ":" + alert.name());
    Incident incident = attachment.incident();
    alerts.fire(alert.fingerprint(), incident.id(), alert.startsAtMillis());
    listener.alertFiring(incident, alert, attachment.outcome());
    return switch (attachment.outcome()) {
      case OPENED -> AlertOutcome.OPENED;
      case REOPENED -> AlertOutcome.REOPENED;
      case ATTACHED -> AlertOutcome.ATTACHED;
    };
  }

  private AlertOutcome resolve(Alert alert, long nowMillis) {
    Optional<Incident> incident =
        alerts.resolve(alert.fingerprint()).flatMap(firing -> store.find(firing.incidentId()));
    if (incident.isEmpty()) {
      return AlertOutcome.UNMATCHED;
    }
    String id = incident.get().id();
    listener.alertResolved(incident.get(), alert);
    OptionalLong newestStart = alerts.silenced(id);
    if (newestStart.isEmpty()
        || incident.get().status() != IncidentStatus.OPEN
        || incident.get().lastAnomalyAtMillis() > newestStart.getAsLong()) {
      return AlertOutcome.NOTED;
    }
    long at = alert.endsAtMillis() > 0 ? alert.endsAtMillis() : nowMillis;
    try {
      Incident resolved =
          store.transition(
              id, IncidentStatus.RESOLVED, at, "its alerts resolved (last: " + alert.name() + ")");
      listener.resolved(resolved);
      return AlertOutcome.RESOLVED_INCIDENT;
    } catch (IllegalStateException e) {
      log.debug("incident {} changed while its alert resolved: {}", id, e.getMessage());
      return AlertOutcome.NOTED;
    }
  }

  private Attachment attach(Map<String, String> group, Anomaly signal, String ungroupedKey) {
    return store.attach(
        groupKey(group, ungroupedKey),
        group,
        signal,
        config.windowSeconds() * 1000,
        config.maxAnomaliesKept(),
        ids);
  }

  private static String groupKey(Map<String, String> group, String ungroupedKey) {
    return group.isEmpty() ? ungroupedKey : group.toString();
  }

  /**
   * Resolves incidents that nobody is working on (still OPEN) and that have had no anomaly for the
   * configured quiet time and no alert firing on them: the problem went away by itself.
   */
  public void sweep(long nowMillis) {
    long quietMillis = config.quietResolveSeconds() * 1000;
    IncidentFilter untouched =
        new IncidentFilter(EnumSet.of(IncidentStatus.OPEN), null, null, null, null);
    for (Incident incident : store.list(untouched, 1000)) {
      if (nowMillis - incident.lastAnomalyAtMillis() < quietMillis
          || alerts.firesOn(incident.id())) {
        continue;
      }
      try {
        Incident resolved =
            store.transition(
                incident.id(),
                IncidentStatus.RESOLVED,
                nowMillis,
                "recovered without action: no anomaly for " + config.quietResolveSeconds() + " s");
        listener.resolved(resolved);
      } catch (IllegalStateException e) {
        // Another instance or the workflow moved it meanwhile: nothing to do.
        log.debug("incident {} changed while being swept: {}", incident.id(), e.getMessage());
      }
    }
  }

  private Map<String, String> groupLabels(Function<String, String> labels) {
    Map<String, String> group = new TreeMap<>();
    for (String label : config.groupBy()) {
      String value = labels.apply(label);
      if (value != null) {
        group.put(label, value);
      }
    }
    return group;
  }
}
