package dev.sentinel.detect;

import static dev.sentinel.detect.Probe.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EpisodesTest {

  private final Episodes episodes = new Episodes(4);

  @Test
  void the_onset_is_news_and_the_points_that_continue_it_are_not() {
    assertThat(episodes.news(0, 0, 3.0, true, MINUTE)).isEqualTo(3.0);

    assertThat(episodes.news(0, MINUTE, 2.0, true, MINUTE)).isLessThan(1);
    assertThat(episodes.news(0, 2 * MINUTE, 3.0, true, MINUTE)).isLessThan(1);
    assertThat(episodes.news(0, 3 * MINUTE, 4.5, true, MINUTE)).isEqualTo(4.5);
  }

  @Test
  void turning_the_other_way_is_news() {
    episodes.news(0, 0, 5.0, true, MINUTE);

    assertThat(episodes.news(0, MINUTE, 1.5, false, MINUTE)).isEqualTo(1.5);
  }

  @Test
  void after_a_quiet_quarter_of_an_hour_a_smaller_anomaly_is_news_again() {
    episodes.news(0, 0, 50.0, true, MINUTE);

    assertThat(episodes.news(0, 10 * MINUTE, 2.0, true, MINUTE)).isLessThan(1);
    assertThat(episodes.news(0, 26 * MINUTE, 2.0, true, MINUTE)).isEqualTo(2.0);
  }

  @Test
  void a_sparse_series_waits_three_intervals_before_an_episode_is_over() {
    long hour = 60 * MINUTE;
    episodes.news(0, 0, 4.0, true, hour);

    assertThat(episodes.news(0, 2 * hour, 3.0, true, hour)).isLessThan(1);
    assertThat(episodes.news(0, 6 * hour, 3.0, true, hour)).isEqualTo(3.0);
  }

  @Test
  void on_a_series_sampled_every_second_a_problem_back_a_minute_after_a_fix_is_news() {
    long second = 1000;
    episodes.news(0, 0, 20.0, true, second);

    assertThat(episodes.news(0, 15 * second, 8.0, true, second)).isLessThan(1);
    assertThat(episodes.news(0, 75 * second, 8.0, true, second)).isEqualTo(8.0);
  }

  @Test
  void series_keep_their_own_episodes() {
    episodes.news(0, 0, 9.0, true, MINUTE);

    assertThat(episodes.news(1, MINUTE, 2.0, true, MINUTE)).isEqualTo(2.0);
  }
}
