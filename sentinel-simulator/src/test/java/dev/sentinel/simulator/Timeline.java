package dev.sentinel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

/** Fixed instants and a driver that ticks a fleet like the app's clock does. */
final class Timeline {

  static final long SECOND = 1_000;
  static final long MINUTE = 60 * SECOND;

  /** A Wednesday, an hour before the daily peak. */
  static final long WEDNESDAY_AFTERNOON = Instant.parse("2024-05-15T14:00:00Z").toEpochMilli();

  static final long WEDNESDAY_NIGHT = Instant.parse("2024-05-15T03:00:00Z").toEpochMilli();
  static final long SATURDAY_AFTERNOON = Instant.parse("2024-05-18T14:00:00Z").toEpochMilli();

  private Timeline() {}

  /**
   * Emits one sample a second at {@code from}, {@code from + 1s}, ... ({@code seconds} of them).
   */
  static void everySecond(Fleet fleet, long from, int seconds, MetricSink sink) {
    for (int i = 0; i < seconds; i++) {
      fleet.emit(from + i * SECOND, sink);
    }
  }

  /**
   * Ticks two fleets every second side by side and checks that they emit exactly the same values,
   * as a fleet rebuilt from a saved state must.
   */
  static void assertSameSamples(Fleet expected, Fleet actual, long from, int seconds) {
    RecordingSink expectedSamples = new RecordingSink();
    RecordingSink actualSamples = new RecordingSink();
    everySecond(expected, from, seconds, expectedSamples);
    everySecond(actual, from, seconds, actualSamples);
    for (String service : expected.services()) {
      for (Metric metric : Metric.values()) {
        assertThat(actualSamples.values(service, metric))
            .as("%s %s", service, metric)
            .hasSize(seconds)
            .isEqualTo(expectedSamples.values(service, metric));
      }
    }
  }

  /** How many samples it takes until one lies beyond {@code limit} (1 = the first), or -1. */
  static int samplesUntilAbove(List<Double> values, double limit) {
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) > limit) {
        return i + 1;
      }
    }
    return -1;
  }

  /** The upper edge of a series' normal band: mean plus {@code sigmas} standard deviations. */
  static double upperBand(List<Double> values, double sigmas) {
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double variance =
        values.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElseThrow();
    return mean + sigmas * Math.sqrt(variance);
  }
}
