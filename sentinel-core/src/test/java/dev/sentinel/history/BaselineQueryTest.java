package dev.sentinel.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BaselineQueryTest {

  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long AT = 100 * DAY + 12 * 3_600_000L;
  private static final long HALF = Duration.ofMinutes(30).toMillis();

  @Test
  void weekly_windows_sit_on_the_same_weekday_oldest_first() {
    assertThat(BaselineQuery.weekly(AT, 3).windows())
        .containsExactly(
            TimeRange.of(AT - 21 * DAY - HALF, AT - 21 * DAY + HALF),
            TimeRange.of(AT - 14 * DAY - HALF, AT - 14 * DAY + HALF),
            TimeRange.of(AT - 7 * DAY - HALF, AT - 7 * DAY + HALF));
  }

  @Test
  void daily_windows_cover_every_day_of_the_lookback() {
    assertThat(BaselineQuery.daily(AT, 10).windows()).hasSize(10);
    // A weekly lookback that is not a whole number of weeks keeps the whole weeks only.
    assertThat(new BaselineQuery(AT, 20, Duration.ofMinutes(30), Seasonality.WEEKLY).windows())
        .hasSize(2);
  }

  @Test
  void invalid_queries_name_the_problem() {
    assertThatThrownBy(() -> BaselineQuery.daily(AT, 0)).hasMessageContaining("lookbackDays");
    assertThatThrownBy(() -> new BaselineQuery(AT, 14, Duration.ofHours(12), Seasonality.DAILY))
        .hasMessageContaining("halfWindow");
    assertThatThrownBy(() -> new BaselineQuery(AT, 6, Duration.ofMinutes(5), Seasonality.WEEKLY))
        .hasMessageContaining("weekly");
    assertThatThrownBy(() -> BaselineQuery.daily(DAY, 5)).hasMessageContaining("epoch");
  }
}
