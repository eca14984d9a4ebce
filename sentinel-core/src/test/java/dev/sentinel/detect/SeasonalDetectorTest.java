package dev.sentinel.detect;

import static dev.sentinel.detect.Probe.DAY;
import static dev.sentinel.detect.Probe.HOUR;
import static dev.sentinel.detect.Probe.MINUTE;
import static dev.sentinel.detect.Probe.START;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeasonalDetectorTest {

  private static final long STEP = 5 * MINUTE;

  private final Probe probe = Probe.only(DetectorKind.SEASONAL);

  /** 100 with noise, plus a two-hour plateau of +20 from 10:00 UTC every day. */
  private double dailyPeak(long timestamp) {
    long hourOfDay = Math.floorMod(timestamp, DAY) / HOUR;
    return 100 + (hourOfDay >= 10 && hourOfDay < 12 ? 20 : 0) + probe.gaussian();
  }

  private int feedDays(long from, int days) {
    int flagged = 0;
    for (long t = from; t < from + days * DAY; t += STEP) {
      if (probe.feed(t, dailyPeak(t))) {
        flagged++;
      }
    }
    return flagged;
  }

  @Test
  void daily_peak_is_not_flagged_once_the_profile_is_learnt() {
    feedDays(START, 4);

    int flagged = feedDays(START + 4 * DAY, 3);

    assertThat(flagged).isZero();
  }

  @Test
  void a_missing_daily_peak_is_flagged() {
    feedDays(START, 5);
    long peakStart = START + 5 * DAY + 10 * HOUR;
    for (long t = START + 5 * DAY; t < peakStart; t += STEP) {
      probe.feed(t, dailyPeak(t));
    }

    int flagged = 0;
    for (long t = peakStart; t < peakStart + 2 * HOUR; t += STEP) {
      if (probe.feed(t, 100 + probe.gaussian())) {
        flagged++;
      }
    }

    assertThat(flagged).isPositive();
    Anomaly first = probe.anomalies.get(0);
    assertThat(first.direction()).isEqualTo(Direction.DOWN);
    assertThat(first.detectors()).contains(DetectorKind.SEASONAL);
    assertThat(first.expectedLow()).isGreaterThan(105);
  }

  @Test
  void a_spike_outside_the_peak_hours_is_flagged() {
    feedDays(START, 4);

    assertThat(probe.feed(START + 4 * DAY + 3 * HOUR, 130)).isTrue();
    assertThat(probe.lastAnomaly().direction()).isEqualTo(Direction.UP);
  }

  @Test
  void the_profile_does_not_judge_before_a_full_day_was_watched() {
    int flagged = 0;
    for (long t = START; t < START + 20 * HOUR; t += STEP) {
      double value = t == START + 15 * HOUR ? 500 : dailyPeak(t);
      if (probe.feed(t, value)) {
        flagged++;
      }
    }

    assertThat(flagged).isZero();
  }

  @Test
  void daily_and_weekly_cycles_are_not_flagged_in_the_third_week() {
    Probe weekly = Probe.only(DetectorKind.SEASONAL, DetectorKind.LEVEL_SHIFT);
    int flaggedInThirdWeek = 0;
    for (long t = START; t < START + 21 * DAY; t += STEP) {
      double hour = Math.floorMod(t, DAY) / (double) HOUR;
      long dayOfWeek = Math.floorDiv(t - START, DAY) % 7;
      double weekend = dayOfWeek >= 5 ? 0.6 : 1;
      double value =
          200 + weekend * 50 * Math.sin(2 * Math.PI * (hour - 8) / 24) + 2 * weekly.gaussian();
      boolean flagged = weekly.feed(t, value);
      if (flagged && t >= START + 14 * DAY) {
        flaggedInThirdWeek++;
      }
    }
    int points = (int) (7 * DAY / STEP);

    assertThat(flaggedInThirdWeek).isLessThan(points / 200); // below 0.5 %
  }
}
