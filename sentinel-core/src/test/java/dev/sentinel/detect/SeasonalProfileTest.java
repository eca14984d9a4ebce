package dev.sentinel.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The profile's storage: what it keeps per bin and day must come back as it was learnt. */
class SeasonalProfileTest {

  private static final double MINUTE_MILLIS = 60_000;

  @Test
  void bin_counts_saturate_instead_of_wrapping_around() {
    SeasonalProfile profile = new SeasonalProfile(true, 4);
    profile.start(2, 100);
    // More than a 16-bit count holds: a wrapped count would fall back to a few thousand.
    for (int i = 0; i < 70_000; i++) {
      profile.update(2, 5, 1, 100, true, MINUTE_MILLIS, 0.5, false);
    }
    assertThat(profile.filled(2, 5, SeasonalProfile.MAX_COUNT)).isTrue();
    assertThat(profile.filled(2, 6, 1)).isFalse();
    assertThat(profile.filled(1, 5, 1)).isFalse();
  }

  @Test
  void a_day_offset_counts_once_half_its_day_was_watched_and_survives_growth() {
    SeasonalProfile profile = new SeasonalProfile(true, 2);
    profile.start(1, 100);
    int halfDay = (int) (SeasonalProfile.DAY_MILLIS / 2 / MINUTE_MILLIS);
    // Tuesday runs 8 above the reference level, all day long.
    for (int i = 0; i < halfDay - 1; i++) {
      profile.update(1, i / 60 % 24, 1, 108, true, MINUTE_MILLIS, 0.5, false);
    }
    assertThat(profile.offset(1, 0, 1, true, MINUTE_MILLIS))
        .isEqualTo(profile.offset(1, 0, 1, false, MINUTE_MILLIS));

    profile.update(1, 11, 1, 108, true, MINUTE_MILLIS, 0.5, false);
    profile.grow(64, true);

    double withDay = profile.offset(1, 11, 1, true, MINUTE_MILLIS);
    double binOnly = profile.offset(1, 11, 1, false, MINUTE_MILLIS);
    assertThat(withDay).isNotEqualTo(binOnly);
    // The bin and the day share the 8 between them; the reference level moved a little too.
    assertThat(withDay).isCloseTo(8, within(1.0));
    assertThat(profile.offset(1, 11, 2, true, MINUTE_MILLIS)).isEqualTo(binOnly);
  }
}
