package dev.sentinel.incident;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.memory.Embedder;
import dev.sentinel.memory.IncidentMemory;
import dev.sentinel.memory.MemoryDocument;
import dev.sentinel.memory.MemoryHit;
import dev.sentinel.memory.MemoryKind;
import dev.sentinel.memory.MemoryQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, for the {@link Correlator}, whether an anomaly whose group has no incident of its own
 * belongs to an open incident of another group that describes the same problem; and remembers every
 * opened incident's description so later groups can be compared with it.
 *
 * <p>Only a group about to open a new incident is embedded and searched (a few milliseconds, on the
 * correlating thread, once per new group: the embedder's cache makes a repeated description free).
 * A group once joined to another incident keeps joining it while that incident is open. A failing
 * embedder or memory never loses an anomaly: the group then opens its own incident.
 *
 * <p>Deciding for a new group, opening its incident and remembering that incident happen under one
 * lock (see {@link Correlator}), and the incident is remembered before the lock is released: two
 * groups that start in the same millisecond on two partitions must not both miss each other. Only
 * new groups take the lock; anomalies of groups with an incident never wait for it.
 *
 * <p>Thread-safe. What it knows of groups is per process: after a restart, or on another instance,
 * a group is compared afresh, which can only cost an embedding.
 */
public final class SemanticDedup {

  private static final Logger log = LoggerFactory.getLogger(SemanticDedup.class);

  /** Where a deduplicated group's anomalies go, and how alike the two descriptions were. */
  public record Match(Incident incident, double similarity, String description, boolean first) {}

  private record Redirect(String incidentId, double similarity, String description) {}

  private final DedupConfig config;
  private final Embedder embedder;
  private final IncidentMemory memory;
  private final IncidentStore store;
  private final Map<String, String> lastIncident = new ConcurrentHashMap<>();
  private final Map<String, Redirect> redirects = new ConcurrentHashMap<>();

  public SemanticDedup(
      DedupConfig config, Embedder embedder, IncidentMemory memory, IncidentStore store) {
    this.config = config;
    this.embedder = embedder;
    this.memory = memory;
    this.store = store;
  }

  /**
   * Whether the group has an incident of its own to use (open, or resolved within the reopen
   * window): then labels decide, and no lock or embedding is needed.
   */
  boolean ownsIncident(String groupKey, Anomaly anomaly, long reopenWindowMillis) {
    if (redirects.containsKey(groupKey)) {
      return false;
    }
    String last = lastIncident.get(groupKey);
    if (last == null) {
      return false;
    }
    Optional<Incident> own = store.find(last);
    return own.isPresent()
        && (own.get().status().isOpen() || Incidents.flaps(own.get(), anomaly, reopenWindowMillis));
  }

  /**
   * The open incident this anomaly should join instead of its own group's, if any.
   *
   * @param reopenWindowMillis a group whose last incident resolved this recently reopens it (the
   *     correlator's flap damping wins over deduplication)
   */
  Optional<Match> match(
      String groupKey, Map<String, String> group, Anomaly anomaly, long reopenWindowMillis) {
    Redirect redirect = redirects.get(groupKey);
    if (redirect != null) {
      Optional<Incident> target = store.find(redirect.incidentId());
      if (target.isPresent() && target.get().status().isOpen()) {
        return Optional.of(
            new Match(target.get(), redirect.similarity(), redirect.description(), false));
      }
      redirects.remove(groupKey, redirect);
    }
    String last = lastIncident.get(groupKey);
    if (last != null) {
      Optional<Incident> own = store.find(last);
      if (own.isPresent()
          && (own.get().status().isOpen()
              || Incidents.flaps(own.get(), anomaly, reopenWindowMillis))) {
        return Optional.empty();
      }
    }
    if (!config.enabled()) {
      return Optional.empty();
    }
    return nearestOpen(groupKey, group, anomaly);
  }

  private Optional<Match> nearestOpen(String groupKey, Map<String, String> group, Anomaly anomaly) {
    String description = IncidentDescription.of(group, List.of(anomaly));
    try {
      float[] vector = embedder.embed(description);
      List<String> passedOver = new ArrayList<>();
      for (MemoryHit hit :
          memory.search(MemoryQuery.of(vector, config.candidates(), MemoryKind.INCIDENT))) {
        String id = hit.payload().getOrDefault("incidentId", "");
        if (hit.similarity() < config.threshold()) {
          passedOver.add(
              String.format(Locale.ROOT, "%s %.3f below the threshold", id, hit.similarity()));
          break;
        }
        Optional<Incident> candidate = store.find(id);
        String unfit = unfit(candidate, groupKey, anomaly);
        if (unfit == null) {
          redirects.put(
              groupKey, new Redirect(candidate.get().id(), hit.similarity(), description));
          return Optional.of(new Match(candidate.get(), hit.similarity(), description, true));
        }
        passedOver.add(String.format(Locale.ROOT, "%s %.3f %s", id, hit.similarity(), unfit));
      }
      log.info(
          "new group {} (\"{}\") joins no open incident: {}",
          groupKey,
          description,
          passedOver.isEmpty() ? "the memory holds no incident" : String.join("; ", passedOver));
    } catch (RuntimeException e) {
      log.warn("semantic deduplication skipped for {}: {}", groupKey, e.getMessage(), e);
    }
    return Optional.empty();
  }

  /** Why a remembered incident cannot take this group's anomaly, or null when it can. */
  private String unfit(Optional<Incident> candidate, String groupKey, Anomaly anomaly) {
    if (candidate.isEmpty()) {
      return "unknown to the incident store";
    }
    if (!candidate.get().status().isOpen()) {
      return "not open (" + candidate.get().status() + ")";
    }
    if (candidate.get().groupKey().equals(groupKey)) {
      return "of the same group";
    }
    long quietMillis = anomaly.timestampMillis() - candidate.get().lastAnomalyAtMillis();
    if (quietMillis > config.windowSeconds() * 1000) {
      return "quiet for " + quietMillis / 1000 + " s, past the dedup window";
    }
    return null;
  }

  /** Notes the incident a group's anomaly went to; remembers the incident when it was opened. */
  void attached(String groupKey, Attachment attachment) {
    lastIncident.put(groupKey, attachment.incident().id());
    if (attachment.outcome() == Attachment.Outcome.OPENED) {
      remember(attachment.incident());
    }
  }

  private void remember(Incident incident) {
    try {
      String description = IncidentDescription.of(incident);
      memory.upsert(document(incident, description, embedder.embed(description)));
    } catch (RuntimeException e) {
      log.warn("could not remember incident {}: {}", incident.id(), e.getMessage(), e);
    }
  }

  /** The memory document of an incident's description; its id is stable, so updates replace it. */
  public static MemoryDocument document(Incident incident, String text, float[] vector) {
    Map<String, String> payload = new HashMap<>();
    payload.put("incidentId", incident.id());
    payload.put("groupKey", incident.groupKey());
    payload.put("openedAt", Long.toString(incident.openedAtMillis()));
    if (incident.service() != null) {
      payload.put("service", incident.service());
    }
    return new MemoryDocument(
        "incident:" + incident.id(), MemoryKind.INCIDENT, text, vector, payload);
  }
}
