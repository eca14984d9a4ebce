package dev.sentinel.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HistogramQuantilesTest {

  private static final double[] BOUNDS = {0.1, 0.5, 1.0};

  @Test
  void interpolates_linearly_inside_the_bucket_holding_the_rank() {
    // 100 observations: 50 in (0, 0.1], 40 in (0.1, 0.5], 10 in (0.5, 1.0], none above.
    long[] counts = {50, 40, 10, 0};
    assertThat(HistogramQuantiles.explicit(0.5, BOUNDS, counts, Double.NaN, Double.NaN))
        .isCloseTo(0.1, within(1e-9));
    assertThat(HistogramQuantiles.explicit(0.7, BOUNDS, counts, Double.NaN, Double.NaN))
        .isCloseTo(0.1 + 0.4 * (20.0 / 40), within(1e-9));
    assertThat(HistogramQuantiles.explicit(0.99, BOUNDS, counts, Double.NaN, Double.NaN))
        .isCloseTo(0.5 + 0.5 * (9.0 / 10), within(1e-9));
  }

  @Test
  void the_open_buckets_close_with_min_and_max_or_the_nearest_bound() {
    long[] overflow = {0, 0, 0, 10};
    assertThat(HistogramQuantiles.explicit(0.99, BOUNDS, overflow, Double.NaN, Double.NaN))
        .isEqualTo(1.0);
    assertThat(HistogramQuantiles.explicit(0.5, BOUNDS, overflow, Double.NaN, 3.0))
        .isCloseTo(2.0, within(1e-9));
    long[] first = {10, 0, 0, 0};
    assertThat(HistogramQuantiles.explicit(0.5, BOUNDS, first, Double.NaN, Double.NaN))
        .isCloseTo(0.05, within(1e-9));
    assertThat(HistogramQuantiles.explicit(0.5, BOUNDS, first, 0.08, 0.09))
        .isCloseTo(0.09, within(1e-9));
  }

  @Test
  void an_empty_histogram_has_no_quantile() {
    assertThat(HistogramQuantiles.explicit(0.5, BOUNDS, new long[4], Double.NaN, Double.NaN))
        .isNaN();
  }

  @Test
  void exponential_buckets_grow_by_the_base_of_their_scale() {
    // scale 0: base 2; bucket i covers (2^i, 2^(i+1)]. 10 in (1, 2], 10 in (2, 4].
    double median =
        HistogramQuantiles.exponential(
            0.5, 0, 0, 0, new long[] {10, 10}, 0, new long[0], Double.NaN, Double.NaN);
    assertThat(median).isCloseTo(2.0, within(1e-9));
    double p75 =
        HistogramQuantiles.exponential(
            0.75, 0, 0, 0, new long[] {10, 10}, 0, new long[0], Double.NaN, Double.NaN);
    assertThat(p75).isCloseTo(3.0, within(1e-9));
    // Negative values and zeros come first: 10 in [-2, -1), 10 zeros, 10 in (1, 2].
    double low =
        HistogramQuantiles.exponential(
            0.1, 0, 10, 0, new long[] {10}, 0, new long[] {10}, Double.NaN, Double.NaN);
    assertThat(low).isCloseTo(-2 + 0.3, within(1e-9));
    assertThat(
            HistogramQuantiles.exponential(
                0.5, 0, 10, 0, new long[] {10}, 0, new long[] {10}, Double.NaN, Double.NaN))
        .isEqualTo(0.0);
  }
}
