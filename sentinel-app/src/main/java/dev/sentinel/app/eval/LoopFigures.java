package dev.sentinel.app.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

/**
 * The "Done when" figures over a run of trials, each with its target and whether it is met.
 * A figure with nothing to measure (no unfixable fault in the matrix yet, no action that made
 * things worse) reads {@code n/a} and is not counted as met.
 */
record LoopFigures(List<Figure> figures, int invariantBreaks) {

  /** One figure: its value in words, its target in words, and whether it meets the target. */
  record Figure(String name, String value, String target, Boolean met) {
    String verdict() {
      return met == null ? "n/a" : met ? "met" : "not met";
    }
  }

  static LoopFigures of(List<TrialResult> results) {
    List<FaultOutcome> faults =
        results.stream().flatMap(result -> result.faults().stream()).toList();
    List<TrialResult> quiet = results.stream().filter(r -> r.scenario().quiet()).toList();
    int breaks = results.stream().mapToInt(r -> r.invariantBreaks().size()).sum();
    long spans =
        results.stream()
            .flatMap(r -> r.invariantBreaks().stream())
            .filter(text -> text.contains(" spans "))
            .count();
    int worse = faults.stream().mapToInt(FaultOutcome::worse).sum();
    int worseRolledBack = faults.stream().mapToInt(FaultOutcome::worseRolledBack).sum();
    List<Figure> figures = new ArrayList<>();
    figures.add(share("faults detected", count(faults, FaultOutcome::detected), faults, 95));
    figures.add(
        share("correct top-1 diagnosis", count(faults, FaultOutcome::diagnosedRight), faults, 90));
    figures.add(
        share(
            "fixable faults resolved (verified, at most one approval)",
            count(faults, FaultOutcome::resolved),
            faults,
            90));
    figures.add(
        new Figure(
            "unfixable faults escalated with no harmful action",
            "n/a: the matrix has no unfixable fault yet",
            "100 %",
            null));
    figures.add(
        worse == 0
            ? new Figure(
                "worsening actions rolled back", "n/a: no action made things worse", "100 %", null)
            : new Figure(
                "worsening actions rolled back",
                percent(worseRolledBack, worse),
                "100 %",
                worseRolledBack == worse));
    figures.add(
        new Figure(
            "incidents spanning two unrelated faults", Long.toString(spans), "0", spans == 0));
    figures.add(new Figure("invariant breaks", Integer.toString(breaks), "0", breaks == 0));
    if (quiet.isEmpty()) {
      figures.add(
          new Figure("incidents per fault-free day", "n/a: no quiet day run", "<= 1", null));
    } else {
      double perDay = quiet.stream().mapToInt(TrialResult::incidents).sum() / (double) quiet.size();
      figures.add(
          new Figure(
              "incidents per fault-free day",
              String.format(Locale.ROOT, "%.1f (%d days)", perDay, quiet.size()),
              "<= 1",
              perDay <= 1));
    }
    LongStream recoveries =
        faults.stream().filter(FaultOutcome::resolved).mapToLong(FaultOutcome::recoverySeconds);
    figures.add(
        new Figure(
            "median fault to verified recovery", seconds(median(recoveries)), "reported", null));
    LongStream detections =
        faults.stream().filter(FaultOutcome::detected).mapToLong(FaultOutcome::detectSeconds);
    figures.add(new Figure("median time to detect", seconds(median(detections)), "reported", null));
    return new LoopFigures(List.copyOf(figures), breaks);
  }

  private static int count(
      List<FaultOutcome> faults, java.util.function.Predicate<FaultOutcome> p) {
    return (int) faults.stream().filter(p).count();
  }

  private static Figure share(String name, int hits, List<FaultOutcome> faults, int target) {
    if (faults.isEmpty()) {
      return new Figure(name, "n/a: no fault injected", ">= " + target + " %", null);
    }
    return new Figure(
        name,
        percent(hits, faults.size()),
        ">= " + target + " %",
        hits * 100 >= target * faults.size());
  }

  static String percent(int hits, int of) {
    return String.format(Locale.ROOT, "%.1f %% (%d of %d)", 100.0 * hits / of, hits, of);
  }

  static long median(LongStream values) {
    long[] sorted = values.sorted().toArray();
    return sorted.length == 0 ? -1 : sorted[(sorted.length - 1) / 2];
  }

  static String seconds(long value) {
    return value < 0 ? "n/a" : value + " s";
  }
}
