package dev.sentinel.app.eval;

import dev.sentinel.simulator.FaultKind;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints a run of trials: the diagnosis confusion matrix, the outcome of each fault kind, each
 * trial family, the "Done when" figures and every invariant break, as Markdown tables (they go into
 * {@code bench/RESULTS-loop.md} as printed).
 */
final class LoopReport {

  static final List<String> DIAGNOSES =
      List.of(
          "memory-leak",
          "latency-spike",
          "error-burst",
          "saturation",
          "bad-deploy",
          "transient",
          "unknown",
          "none");

  private LoopReport() {}

  static void print(List<TrialResult> results, LoopFigures figures, PrintWriter out) {
    List<FaultOutcome> faults =
        results.stream().flatMap(result -> result.faults().stream()).toList();
    out.println("### Diagnosis confusion matrix (rows: injected, columns: top-1 diagnosis)");
    out.println();
    StringBuilder header = new StringBuilder("| injected |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String diagnosis : DIAGNOSES) {
      header.append(' ').append(diagnosis).append(" |");
      rule.append("---:|");
    }
    out.println(header);
    out.println(rule);
    for (FaultKind kind : FaultKind.values()) {
      StringBuilder row = new StringBuilder("| " + RightActions.cause(kind) + " |");
      for (String diagnosis : DIAGNOSES) {
        long n =
            faults.stream()
                .filter(f -> f.kind() == kind)
                .filter(f -> diagnosis.equals(f.diagnosis()) || other(diagnosis, f.diagnosis()))
                .count();
        row.append(' ').append(n).append(" |");
      }
      out.println(row);
    }
    out.println();
    out.println("### Outcome per fault kind");
    out.println();
    out.println(
        "| fault | faults | detected | median detect | right top-1 | resolved | resolved, 2+ approvals | escalated |"
            + " false recovery | faded | unresolved | undetected | median recovery |"
            + " right actions | actions after recovery | worse / rolled back |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (FaultKind kind : FaultKind.values()) {
      List<FaultOutcome> ofKind = faults.stream().filter(f -> f.kind() == kind).toList();
      Map<String, Long> outcomes = new TreeMap<>();
      ofKind.forEach(f -> outcomes.merge(f.outcome(), 1L, Long::sum));
      long actions = ofKind.stream().mapToLong(f -> f.actions().size()).sum();
      long right =
          ofKind.stream().flatMap(f -> f.actions().stream()).filter(a -> a.right()).count();
      out.printf(
          Locale.ROOT,
          "| %s | %d | %d | %s | %d | %d | %d | %d | %d | %d | %d | %d | %s | %d of %d | %d | %d / %d |%n",
          RightActions.cause(kind),
          ofKind.size(),
          ofKind.stream().filter(FaultOutcome::detected).count(),
          LoopFigures.seconds(
              LoopFigures.median(
                  ofKind.stream()
                      .filter(FaultOutcome::detected)
                      .mapToLong(FaultOutcome::detectSeconds))),
          ofKind.stream().filter(FaultOutcome::diagnosedRight).count(),
          outcomes.getOrDefault("resolved", 0L),
          outcomes.getOrDefault("resolved-after-approvals", 0L),
          outcomes.getOrDefault("escalated", 0L),
          outcomes.getOrDefault("false-recovery", 0L),
          outcomes.getOrDefault("faded", 0L),
          outcomes.getOrDefault("unresolved", 0L),
          outcomes.getOrDefault("undetected", 0L),
          LoopFigures.seconds(
              LoopFigures.median(
                  ofKind.stream()
                      .filter(FaultOutcome::resolved)
                      .mapToLong(FaultOutcome::recoverySeconds))),
          right,
          actions,
          ofKind.stream().mapToLong(FaultOutcome::actionsAfterRecovery).sum(),
          ofKind.stream().mapToInt(FaultOutcome::worse).sum(),
          ofKind.stream().mapToInt(FaultOutcome::worseRolledBack).sum());
    }
    out.println();
    out.println("### Per trial family");
    out.println();
    out.println(
        "| family | trials | faults | resolved | incidents | knock-on incidents |"
            + " spurious incidents | invariant breaks |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    Map<String, List<TrialResult>> families = new LinkedHashMap<>();
    results.forEach(
        r -> families.computeIfAbsent(r.scenario().family(), k -> new ArrayList<>()).add(r));
    families.forEach(
        (family, trials) ->
            out.printf(
                Locale.ROOT,
                "| %s | %d | %d | %d | %d | %d | %d | %d |%n",
                family,
                trials.size(),
                trials.stream().mapToInt(t -> t.faults().size()).sum(),
                trials.stream()
                    .flatMap(t -> t.faults().stream())
                    .filter(FaultOutcome::resolved)
                    .count(),
                trials.stream().mapToInt(TrialResult::incidents).sum(),
                trials.stream().mapToInt(TrialResult::knockOn).sum(),
                trials.stream().mapToInt(TrialResult::spurious).sum(),
                trials.stream().mapToInt(t -> t.invariantBreaks().size()).sum()));
    out.println();
    out.println("### Done when");
    out.println();
    out.println("| figure | measured | target | verdict |");
    out.println("|---|---|---|---|");
    for (LoopFigures.Figure figure : figures.figures()) {
      out.printf(
          "| %s | %s | %s | %s |%n",
          figure.name(), figure.value(), figure.target(), figure.verdict());
    }
    out.println();
    out.printf(
        "Plans that waited for the stand-in only because the approval policy's breaker (or, with"
            + " --wall-clock-limits, its rate limits), which count wall time, saw the compressed"
            + " minutes as one: %d.%n%n",
        results.stream().mapToInt(TrialResult::wallClockLimited).sum());
    Map<String, Integer> kinds = new TreeMap<>();
    for (TrialResult result : results) {
      for (String text : result.invariantBreaks()) {
        kinds.merge(kindOf(text), 1, Integer::sum);
      }
    }
    out.println("### Invariant breaks by kind");
    out.println();
    if (kinds.isEmpty()) {
      out.println("none");
    } else {
      kinds.forEach((kind, n) -> out.println("- " + kind + ": " + n));
    }
  }

  /** Counts a diagnosis outside the listed causes in the "unknown" column. */
  private static boolean other(String column, String diagnosis) {
    return column.equals("unknown") && !DIAGNOSES.contains(diagnosis);
  }

  /** The part of a break's text before its particulars: what kind of break it is. */
  static String kindOf(String text) {
    if (text.startsWith("open incident without a way on")) {
      return "open incident without a case that runs or a human action";
    }
    if (text.startsWith("action ran twice")) {
      return "action ran twice";
    }
    if (text.contains(" spans ")) {
      return "incident spans two faults";
    }
    if (text.startsWith("replicas of")) {
      return "replicas not back at baseline after the fault";
    }
    return "desk failure";
  }

  /** One line per trial, as it ends. */
  static String line(TrialResult result) {
    StringBuilder text =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "trial %3d %-48s %5d s simulated, %5d ms:",
                result.index() + 1,
                result.scenario().label(),
                result.simulatedSeconds(),
                result.wallMillis()));
    for (FaultOutcome fault : result.faults()) {
      text.append(' ')
          .append(fault.kind())
          .append('@')
          .append(fault.service())
          .append('=')
          .append(fault.outcome())
          .append(" (")
          .append(fault.diagnosis())
          .append(')');
    }
    if (result.scenario().quiet()) {
      text.append(' ').append(result.incidents()).append(" incident(s)");
    }
    if (!result.invariantBreaks().isEmpty()) {
      text.append(" BREAKS: ").append(result.invariantBreaks());
    }
    return text.toString();
  }
}
