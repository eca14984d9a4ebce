package dev.sentinel.simulator;

import static dev.sentinel.simulator.Timeline.MINUTE;
import static dev.sentinel.simulator.Timeline.SECOND;
import static dev.sentinel.simulator.Timeline.WEDNESDAY_AFTERNOON;

import java.util.List;
import java.util.function.Consumer;

/**
 * Two demo fleets with the same seed, ticked every second side by side: ten minutes of healthy
 * warm-up, then something happens to one of them at {@link #START}. Because both draw the same
 * noise, any difference between them is the fault's doing.
 */
final class FaultComparison {

  static final long START = WEDNESDAY_AFTERNOON;
  static final int WARM_UP_SECONDS = 600;
  private static final long SEED = 7;

  final Fleet healthy = Fleet.demo(SEED);
  final Fleet faulty = Fleet.demo(SEED);
  private final RecordingSink healthySamples = new RecordingSink();
  private final RecordingSink faultySamples = new RecordingSink();
  private long next = START - WARM_UP_SECONDS * SECOND;

  FaultComparison(Consumer<Fleet> change) {
    run(WARM_UP_SECONDS);
    change.accept(faulty);
  }

  static FaultComparison inject(FaultKind kind, String service) {
    return new FaultComparison(fleet -> fleet.inject(kind, service, START));
  }

  /** Ticks both fleets for that many more seconds. */
  FaultComparison run(int seconds) {
    for (int i = 0; i < seconds; i++) {
      healthy.emit(next, healthySamples);
      faulty.emit(next, faultySamples);
      next += SECOND;
    }
    return this;
  }

  FaultComparison runMinutes(int minutes) {
    return run((int) (minutes * MINUTE / SECOND));
  }

  /** The faulty fleet's samples from {@link #START} on. */
  List<Double> after(String service, Metric metric) {
    List<Double> values = faultySamples.values(service, metric);
    return values.subList(WARM_UP_SECONDS, values.size());
  }

  /** The healthy fleet's samples from {@link #START} on. */
  List<Double> healthyAfter(String service, Metric metric) {
    List<Double> values = healthySamples.values(service, metric);
    return values.subList(WARM_UP_SECONDS, values.size());
  }

  /** Mean plus four standard deviations of the warm-up: a streaming detector's normal band. */
  double band(String service, Metric metric) {
    return Timeline.upperBand(faultySamples.values(service, metric).subList(0, WARM_UP_SECONDS), 4);
  }

  double warmUpMean(String service, Metric metric) {
    return faultySamples.values(service, metric).subList(0, WARM_UP_SECONDS).stream()
        .mapToDouble(Double::doubleValue)
        .average()
        .orElseThrow();
  }

  /** How many one-second samples after the change until the faulty fleet leaves the band. */
  int samplesToLeaveBand(String service, Metric metric) {
    return Timeline.samplesUntilAbove(after(service, metric), band(service, metric));
  }

  /** Whether the healthy fleet stayed inside the band over the same time. */
  boolean healthyStaysInBand(String service, Metric metric) {
    return Timeline.samplesUntilAbove(healthyAfter(service, metric), band(service, metric)) == -1;
  }

  /** Mean of the faulty fleet's last {@code count} samples. */
  double recentMean(String service, Metric metric, int count) {
    List<Double> values = faultySamples.values(service, metric);
    return values.subList(values.size() - count, values.size()).stream()
        .mapToDouble(Double::doubleValue)
        .average()
        .orElseThrow();
  }

  long now() {
    return next;
  }
}
