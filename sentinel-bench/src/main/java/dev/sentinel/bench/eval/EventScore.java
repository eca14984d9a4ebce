package dev.sentinel.bench.eval;

/**
 * Event-based detection quality. An anomaly event (a labelled window) is detected when at least one
 * flag falls inside it; every flag outside all windows is one false positive; the delay of a
 * detected event is its first flag's time minus the window's start.
 *
 * @param events labelled windows
 * @param detected windows with at least one flag inside
 * @param falsePositives flags outside every window
 * @param falseAlarms runs of consecutive false-positive flags: what an operator would be paged for
 * @param delayMillis the sum of the detection delays of detected events
 * @param points points scored
 */
public record EventScore(
    long events,
    long detected,
    long falsePositives,
    long falseAlarms,
    long delayMillis,
    long points) {

  public static final EventScore EMPTY = new EventScore(0, 0, 0, 0, 0, 0);

  /** Scores one series from its per-point flags. */
  public static EventScore of(LabelledSeries series, boolean[] flags) {
    long falsePositives = 0;
    long falseAlarms = 0;
    boolean inAlarm = false;
    for (int i = 0; i < flags.length; i++) {
      boolean falsePositive = flags[i] && !series.labelled(i);
      if (falsePositive) {
        falsePositives++;
        falseAlarms += inAlarm ? 0 : 1;
      }
      inAlarm = falsePositive;
    }
    long detected = 0;
    long delay = 0;
    for (LabelledSeries.Window window : series.windows()) {
      for (int i = 0; i < flags.length; i++) {
        if (flags[i] && window.contains(series.timestamps()[i])) {
          detected++;
          delay += series.timestamps()[i] - window.startMillis();
          break;
        }
      }
    }
    return new EventScore(
        series.windows().size(), detected, falsePositives, falseAlarms, delay, series.size());
  }

  public EventScore plus(EventScore other) {
    return new EventScore(
        events + other.events,
        detected + other.detected,
        falsePositives + other.falsePositives,
        falseAlarms + other.falseAlarms,
        delayMillis + other.delayMillis,
        points + other.points);
  }

  /** Detected events over all flagged events and false positives; NaN when nothing was flagged. */
  public double precision() {
    long flagged = detected + falsePositives;
    return flagged == 0 ? Double.NaN : (double) detected / flagged;
  }

  /** Like {@link #precision()}, but counting runs of false positives as one alarm each. */
  public double alarmPrecision() {
    long raised = detected + falseAlarms;
    return raised == 0 ? Double.NaN : (double) detected / raised;
  }

  /** Detected events over all events; NaN when there were no events. */
  public double recall() {
    return events == 0 ? Double.NaN : (double) detected / events;
  }

  public double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 || Double.isNaN(p) || Double.isNaN(r) ? Double.NaN : 2 * p * r / (p + r);
  }

  /** Mean delay of the detected events, in minutes; NaN when none was detected. */
  public double meanDelayMinutes() {
    return detected == 0 ? Double.NaN : delayMillis / (double) detected / 60_000.0;
  }

  /** False positives per 10,000 points. */
  public double falsePositivesPer10k() {
    return points == 0 ? Double.NaN : falsePositives * 10_000.0 / points;
  }
}
