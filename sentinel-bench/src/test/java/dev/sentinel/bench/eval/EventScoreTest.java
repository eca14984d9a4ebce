package dev.sentinel.bench.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventScoreTest {

  private static final long MINUTE = 60_000L;

  private static LabelledSeries series(int size, LabelledSeries.Window... windows) {
    long[] timestamps = new long[size];
    for (int i = 0; i < size; i++) {
      timestamps[i] = i * MINUTE;
    }
    return new LabelledSeries(
        "s", AnomalyKind.SPIKE, timestamps, new double[size], List.of(windows));
  }

  @Test
  void a_flag_inside_the_window_detects_the_event_with_its_delay() {
    LabelledSeries series = series(100, new LabelledSeries.Window(40 * MINUTE, 50 * MINUTE));
    boolean[] flags = new boolean[100];
    flags[43] = true;
    flags[44] = true;

    EventScore score = EventScore.of(series, flags);

    assertThat(score.detected()).isEqualTo(1);
    assertThat(score.falsePositives()).isZero();
    assertThat(score.meanDelayMinutes()).isEqualTo(3.0);
    assertThat(score.precision()).isEqualTo(1.0);
    assertThat(score.recall()).isEqualTo(1.0);
  }

  @Test
  void flags_outside_every_window_are_false_positives_and_runs_are_one_alarm() {
    LabelledSeries series = series(100, new LabelledSeries.Window(40 * MINUTE, 50 * MINUTE));
    boolean[] flags = new boolean[100];
    flags[10] = true;
    flags[11] = true;
    flags[70] = true;

    EventScore score = EventScore.of(series, flags);

    assertThat(score.detected()).isZero();
    assertThat(score.falsePositives()).isEqualTo(3);
    assertThat(score.falseAlarms()).isEqualTo(2);
    assertThat(score.recall()).isZero();
    assertThat(score.precision()).isZero();
    assertThat(score.f1()).isNaN();
  }

  @Test
  void generated_sets_are_reproducible_and_labelled() {
    List<LabelledSeries> first = new SeriesGenerator(1).generate(1);
    List<LabelledSeries> second = new SeriesGenerator(1).generate(1);

    assertThat(first).hasSize(AnomalyKind.values().length);
    assertThat(first.get(0).values()).containsExactly(second.get(0).values());
    assertThat(first)
        .allSatisfy(s -> assertThat(s.windows()).hasSize(s.kind() == AnomalyKind.NONE ? 0 : 1));
  }
}
