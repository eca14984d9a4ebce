package dev.sentinel.analyse;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.Direction;
import dev.sentinel.history.HistoricalContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Explains an incident from statistics and known fault signatures, with no model: which series
 * moved first, which signature the anomalies fit best, and the evidence for it.
 *
 * <p>A signature's confidence is the share of its symptoms present, weighted by the detectors' own
 * confidence in the matching anomalies; a leak must also keep rising, and a deploy-shaped fault
 * counts fully only when the service changed shortly before the incident. A signature is also
 * weighed by how much of the evidence it explains: an overload moves latency, CPU and queues
 * together, and the narrow "latency spike" must not win merely because its one symptom is there.
 */
public final class RuleAnalyst implements Analyst {

  /** How long before the incident a change still counts as "recent". */
  private static final long RECENT_CHANGE_MILLIS = 30 * 60_000L;

  /** Series whose history is looked up per analysis: each is one or two store queries. */
  private static final int MAX_HISTORY_LOOKUPS = 6;

  private final List<Signature> signatures;
  private final HistoricalContext history;

  /** An analyst without history: it says so in every analysis. */
  public RuleAnalyst(List<Signature> signatures) {
    this(signatures, HistoricalContext.unavailable("no telemetry store is configured"));
  }

  public RuleAnalyst(List<Signature> signatures, HistoricalContext history) {
    this.signatures = List.copyOf(signatures);
    this.history = history;
  }

  @Override
  public Analysis analyse(CaseFile file) {
    List<Anomaly> anomalies = file.anomalies();
    String service = file.incident().service();
    if (anomalies.isEmpty()) {
      return new Analysis("No anomalies to analyse.", List.of(), null, "rules");
    }
    Anomaly first =
        anomalies.stream().min(Comparator.comparingLong(Anomaly::timestampMillis)).get();
    List<Hypothesis> hypotheses = new ArrayList<>();
    for (Signature signature : signatures) {
      Hypothesis fit = fit(signature, service, anomalies, file);
      if (fit != null) {
        hypotheses.add(fit);
      }
    }
    List<HistoricalContext.Judgement> judgements = judgeHistory(anomalies);
    boolean allUsual =
        !judgements.isEmpty()
            && judgements.stream().allMatch(j -> j instanceof HistoricalContext.Judgement.Usual);
    if (allUsual) {
      // Every symptom is what the series does at this time of the week: likelier a peak the
      // detectors had not learnt than a fault.
      hypotheses.replaceAll(
          h -> new Hypothesis(h.cause(), h.service(), h.confidence() * 0.5, h.evidence()));
    }
    hypotheses.sort(Comparator.comparingDouble(Hypothesis::confidence).reversed());
    if (!hypotheses.isEmpty()) {
      Hypothesis best = hypotheses.getFirst();
      List<String> evidence = new ArrayList<>(best.evidence());
      judgements.forEach(judgement -> evidence.add("history: " + judgement.text()));
      hypotheses.set(0, new Hypothesis(best.cause(), best.service(), best.confidence(), evidence));
    }
    String summary =
        hypotheses.isEmpty()
            ? "No known signature fits; " + first.series() + " moved first. A human should look."
            : String.format(
                Locale.ROOT,
                "Most likely %s in %s (confidence %.2f); %s moved first.",
                hypotheses.getFirst().cause(),
                service == null ? "the affected group" : service,
                hypotheses.getFirst().confidence(),
                first.series());
    return new Analysis(
        summary + historySummary(judgements, allUsual), hypotheses, first.series().text(), "rules");
  }

  /** What history says of each anomalous series (its most extreme point), a few series at most. */
  private List<HistoricalContext.Judgement> judgeHistory(List<Anomaly> anomalies) {
    Map<String, Anomaly> extremes = new LinkedHashMap<>();
    for (Anomaly anomaly : anomalies) {
      extremes.merge(
          anomaly.series().text(),
          anomaly,
          (kept, next) -> next.score() > kept.score() ? next : kept);
    }
    List<HistoricalContext.Judgement> judgements = new ArrayList<>();
    for (Anomaly anomaly : extremes.values()) {
      if (judgements.size() == MAX_HISTORY_LOOKUPS) {
        break;
      }
      HistoricalContext.Judgement judgement =
          history.judge(
              anomaly.series(),
              anomaly.timestampMillis(),
              anomaly.value(),
              anomaly.direction() == Direction.UP);
      if (judgement instanceof HistoricalContext.Judgement.Unavailable) {
        return List.of(judgement);
      }
      judgements.add(judgement);
    }
    return judgements;
  }

  private static String historySummary(
      List<HistoricalContext.Judgement> judgements, boolean allUsual) {
    if (judgements.isEmpty()) {
      return "";
    }
    if (judgements.getFirst() instanceof HistoricalContext.Judgement.Unavailable unavailable) {
      return " History unavailable ("
          + unavailable.text()
          + "): judged from the detectors'"
          + " in-memory state only.";
    }
    if (allUsual) {
      return " History: every symptom is usual for this time of the week, so this may be a normal"
          + " peak rather than a fault.";
    }
    long unusual =
        judgements.stream().filter(j -> j instanceof HistoricalContext.Judgement.Unusual).count();
    return " History: "
        + unusual
        + " of "
        + judgements.size()
        + " symptoms are unusual for this time of the week.";
  }

  private Hypothesis fit(
      Signature signature, String service, List<Anomaly> anomalies, CaseFile file) {
    List<String> evidence = new ArrayList<>();
    double present = 0;
    double confidence = 0;
    for (Signature.Symptom symptom : signature.symptoms()) {
      List<Anomaly> matching =
          anomalies.stream()
              .filter(a -> symptom.matches(a.series().name(), a.direction()))
              .toList();
      if (matching.isEmpty()) {
        continue;
      }
      double weight = 1;
      if (signature.risingTrend()) {
        if (matching.size() == 1) {
          // One point up is consistent with a leak but proves no trend yet: half the weight.
          weight = 0.5;
        } else if (!rising(matching)) {
          continue;
        }
      }
      present++;
      confidence += weight * matching.stream().mapToDouble(Anomaly::confidence).average().orElse(0);
      evidence.add(describe(symptom, matching, signature.risingTrend()));
    }
    if (present == 0) {
      return null;
    }
    double share = present / signature.symptoms().size();
    double fit = share * (confidence / present) * (0.5 + 0.5 * coverage(signature, anomalies));
    if (signature.needsRecentChange()) {
      String changedAt = file.targetState().get("changedAtMillis");
      boolean recent =
          changedAt != null
              && file.incident().openedAtMillis() - Long.parseLong(changedAt)
                  <= RECENT_CHANGE_MILLIS;
      if (recent) {
        evidence.add(
            "the service changed shortly before the incident (version "
                + file.targetState().getOrDefault("version", "?")
                + ", previously "
                + file.targetState().getOrDefault("previousVersion", "?")
                + ")");
      } else {
        fit *= 0.4;
      }
    }
    return new Hypothesis(signature.cause(), service, Math.min(1, fit), evidence);
  }

  /** The share of the distinct anomalous metrics (name and direction) the signature explains. */
  private static double coverage(Signature signature, List<Anomaly> anomalies) {
    Set<String> moved = new HashSet<>();
    Set<String> explained = new HashSet<>();
    for (Anomaly anomaly : anomalies) {
      String metric = anomaly.series().name() + " " + anomaly.direction();
      moved.add(metric);
      if (signature.symptoms().stream()
          .anyMatch(symptom -> symptom.matches(anomaly.series().name(), anomaly.direction()))) {
        explained.add(metric);
      }
    }
    return (double) explained.size() / moved.size();
  }

  /** Whether the values mostly keep rising: most steps up or flat, and the last above the first. */
  private static boolean rising(List<Anomaly> matching) {
    List<Anomaly> inTime =
        matching.stream().sorted(Comparator.comparingLong(Anomaly::timestampMillis)).toList();
    int ups = 0;
    for (int i = 1; i < inTime.size(); i++) {
      if (inTime.get(i).value() >= inTime.get(i - 1).value()) {
        ups++;
      }
    }
    return ups >= 0.75 * (inTime.size() - 1)
        && inTime.getLast().value() > inTime.getFirst().value();
  }

  private static String describe(Signature.Symptom symptom, List<Anomaly> matching, boolean trend) {
    List<Anomaly> inTime =
        matching.stream().sorted(Comparator.comparingLong(Anomaly::timestampMillis)).toList();
    Anomaly start = inTime.getFirst();
    Anomaly end = inTime.getLast();
    return String.format(
        Locale.ROOT,
        "%s %s: %d anomalous point(s), %s%.4g (expected %.4g..%.4g)%s",
        start.series(),
        symptom.direction() == Direction.UP ? "above range" : "below range",
        matching.size(),
        trend
            ? "rising from " + String.format(Locale.ROOT, "%.4g", start.value()) + " to "
            : "up to ",
        trend ? end.value() : matching.stream().mapToDouble(Anomaly::value).max().orElse(0),
        start.expectedLow(),
        start.expectedHigh(),
        matching.size() > 1 ? ", detectors " + end.detectors() : "");
  }
}
