package dev.sentinel.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.ingest.SeriesKey;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoricalContextTest {

  /** A Monday, 09:00 UTC. */
  private static final long MONDAY_NINE = Instant.parse("2026-11-23T09:00:00Z").toEpochMilli();

  private static final SeriesKey ERRORS = SeriesKey.of("error_rate", Map.of("service", "checkout"));
  private static final Baseline MONDAY_MORNINGS = new Baseline(240, 0.003, 0.002, 0.0035, 0.004);

  private final FixedBaselineStore store = new FixedBaselineStore();

  @Test
  void a_value_above_the_usual_99th_percentile_for_that_weekday_and_time_is_unusual() {
    store.weekly(ERRORS, MONDAY_MORNINGS);

    HistoricalContext.Judgement judgement =
        HistoricalContext.of(store, 4).judge(ERRORS, MONDAY_NINE, 0.2, true);

    assertThat(judgement).isInstanceOf(HistoricalContext.Judgement.Unusual.class);
    assertThat(judgement.text())
        .contains("unusual for Monday 09:00 UTC")
        .contains("the same time on the last 4 Mondays")
        .contains("240 points");
    assertThat(store.queries().getFirst().lookbackDays()).isEqualTo(28);
  }

  @Test
  void a_spike_that_monday_mornings_always_show_is_usual() {
    store.weekly(ERRORS, MONDAY_MORNINGS);

    HistoricalContext.Judgement judgement =
        HistoricalContext.of(store, 4).judge(ERRORS, MONDAY_NINE, 0.004, true);

    assertThat(judgement).isInstanceOf(HistoricalContext.Judgement.Usual.class);
    assertThat(judgement.text()).contains("is usual for Monday 09:00 UTC");
  }

  @Test
  void a_drop_is_judged_against_the_spread_below_the_median() {
    store.weekly(ERRORS, MONDAY_MORNINGS);
    HistoricalContext history = HistoricalContext.of(store, 4);

    assertThat(history.judge(ERRORS, MONDAY_NINE, 0.0001, false))
        .isInstanceOf(HistoricalContext.Judgement.Usual.class);
    assertThat(history.judge(ERRORS, MONDAY_NINE, -0.5, false))
        .isInstanceOf(HistoricalContext.Judgement.Unusual.class);
  }

  @Test
  void a_series_younger_than_a_week_is_judged_against_the_last_days() {
    store.weekly(ERRORS, new Baseline(3, 0.003, 0.002, 0.0035, 0.004));
    store.daily(ERRORS, new Baseline(60, 0.01, 0.01, 0.02, 0.03));

    HistoricalContext.Judgement judgement =
        HistoricalContext.of(store, 4).judge(ERRORS, MONDAY_NINE, 0.02, true);

    assertThat(judgement).isInstanceOf(HistoricalContext.Judgement.Usual.class);
    assertThat(judgement.text()).contains("each of the last 7 days");
  }

  @Test
  void too_little_history_says_so_instead_of_guessing() {
    store.daily(ERRORS, new Baseline(4, 0.01, 0.01, 0.02, 0.03));

    HistoricalContext.Judgement judgement =
        HistoricalContext.of(store, 4).judge(ERRORS, MONDAY_NINE, 0.2, true);

    assertThat(judgement).isInstanceOf(HistoricalContext.Judgement.NotEnoughHistory.class);
    assertThat(judgement.text()).contains("not enough history").contains("Monday 09:00 UTC");
  }

  @Test
  void a_failing_store_gives_the_reason_instead_of_an_exception() {
    store.fail("connection refused");

    HistoricalContext.Judgement judgement =
        HistoricalContext.of(store, 4).judge(ERRORS, MONDAY_NINE, 0.2, true);

    assertThat(judgement).isInstanceOf(HistoricalContext.Judgement.Unavailable.class);
    assertThat(judgement.text()).contains("connection refused");
  }

  @Test
  void without_a_store_every_judgement_is_unavailable_with_the_reason() {
    assertThat(HistoricalContext.unavailable("no store").judge(ERRORS, MONDAY_NINE, 1, true))
        .isEqualTo(new HistoricalContext.Judgement.Unavailable("no store"));
  }
}
