package dev.sentinel.bench.eval;

import dev.sentinel.detect.DetectionConfig;
import dev.sentinel.detect.DetectionEngine;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the detection engine, with its default configuration, over a generated labelled set and
 * prints event-based precision, recall, F1 and mean detection delay per anomaly kind and overall,
 * as a Markdown table.
 *
 * <p>Usage: {@code Evaluation [--per-kind N] [--seed S] [--write DIR] [--first-day]}. With {@code
 * --write}, the set is also written as one CSV per series ({@code timestamp,value,label}) for
 * backtesting the CLI. With {@code --first-day}, every anomaly falls on the series' first day
 * (hours 6 to 22) instead of after four days.
 */
public final class Evaluation {

  private Evaluation() {}

  public static void main(String[] args) throws IOException {
    int perKind = 24;
    long seed = 42;
    Path write = null;
    boolean firstDay = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--per-kind" -> perKind = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--write" -> write = Path.of(args[++i]);
        case "--first-day" -> firstDay = true;
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    List<LabelledSeries> set = new SeriesGenerator(seed, firstDay).generate(perKind);
    if (write != null) {
      Files.createDirectories(write);
      for (LabelledSeries series : set) {
        LabelledSeriesCsv.write(series, write.resolve(series.name() + ".csv"));
      }
      System.out.println("wrote " + set.size() + " series to " + write);
    }
    System.out.println(table(evaluate(set, DetectionConfig.builtIn())));
  }

  /** Scores every series of the set and sums the scores per kind. */
  public static Map<AnomalyKind, EventScore> evaluate(
      List<LabelledSeries> set, DetectionConfig config) {
    Map<AnomalyKind, EventScore> byKind = new EnumMap<>(AnomalyKind.class);
    for (LabelledSeries series : set) {
      EventScore score = EventScore.of(series, flags(series, config));
      byKind.merge(series.kind(), score, EventScore::plus);
    }
    return byKind;
  }

  /** Runs one series through a fresh engine, point by point, and returns its per-point flags. */
  public static boolean[] flags(LabelledSeries series, DetectionConfig config) {
    SeriesRegistry registry = new SeriesRegistry();
    int id = registry.intern(SeriesKey.of(series.name()));
    DetectionEngine engine = new DetectionEngine(config, registry);
    boolean[] flags = new boolean[series.size()];
    for (int i = 0; i < series.size(); i++) {
      int index = i;
      engine.observe(
          id, series.timestamps()[i], series.values()[i], anomaly -> flags[index] = true);
    }
    return flags;
  }

  /** The Markdown table: one row per kind, then the total. */
  public static String table(Map<AnomalyKind, EventScore> byKind) {
    StringBuilder out = new StringBuilder();
    out.append("| kind | events | detected | false positives | FP per 10k points |")
        .append(" precision | recall | F1 | mean delay (min) | false alarms | alarm precision |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    EventScore total = EventScore.EMPTY;
    for (Map.Entry<AnomalyKind, EventScore> entry : byKind.entrySet()) {
      row(out, entry.getKey().name().toLowerCase(Locale.ROOT), entry.getValue());
      total = total.plus(entry.getValue());
    }
    row(out, "**overall**", total);
    return out.toString();
  }

  private static void row(StringBuilder out, String name, EventScore score) {
    out.append(
        String.format(
            Locale.ROOT,
            "| %s | %d | %d | %d | %s | %s | %s | %s | %s | %d | %s |%n",
            name,
            score.events(),
            score.detected(),
            score.falsePositives(),
            number(score.falsePositivesPer10k()),
            number(score.precision()),
            number(score.recall()),
            number(score.f1()),
            number(score.meanDelayMinutes()),
            score.falseAlarms(),
            number(score.alarmPrecision())));
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
  }
}
