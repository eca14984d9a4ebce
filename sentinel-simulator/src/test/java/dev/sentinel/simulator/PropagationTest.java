package dev.sentinel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PropagationTest {

  @Test
  void db_latency_reaches_checkout_and_then_api_a_little_later() {
    FaultComparison run = FaultComparison.inject(FaultKind.LATENCY_SPIKE, "db").run(30);

    int db = run.samplesToLeaveBand("db", Metric.LATENCY_P50_MS);
    int checkout = run.samplesToLeaveBand("checkout", Metric.LATENCY_P50_MS);
    int api = run.samplesToLeaveBand("api", Metric.LATENCY_P50_MS);

    assertThat(db).isEqualTo(1);
    assertThat(checkout).as("checkout after db").isBetween(db + 2, db + 5);
    assertThat(api).as("api after checkout").isBetween(checkout + 2, checkout + 6);
    assertThat(run.recentMean("checkout", Metric.LATENCY_P50_MS, 20))
        .isGreaterThan(1.4 * run.warmUpMean("checkout", Metric.LATENCY_P50_MS));
    assertThat(run.samplesToLeaveBand("cache", Metric.LATENCY_P50_MS)).isEqualTo(-1);
  }

  @Test
  void db_errors_fail_checkout_requests_and_some_api_requests() {
    FaultComparison run = FaultComparison.inject(FaultKind.ERROR_BURST, "db").run(30);

    double db = run.recentMean("db", Metric.ERROR_RATE, 20);
    double checkout = run.recentMean("checkout", Metric.ERROR_RATE, 20);
    double api = run.recentMean("api", Metric.ERROR_RATE, 20);

    assertThat(checkout).as("three queries per checkout").isGreaterThan(2 * db);
    assertThat(api).as("half of api requests check out").isBetween(0.05, checkout);
    assertThat(run.samplesToLeaveBand("api", Metric.ERROR_RATE))
        .isGreaterThan(run.samplesToLeaveBand("checkout", Metric.ERROR_RATE));
  }
}
