package dev.sentinel.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpendingTest {

  private final ManualClock clock = new ManualClock(Fixtures.OPENED);
  private final Spending spending = new Spending(new SimpleMeterRegistry(), clock, 0.5, 1.0);
  private final ProviderSettings provider =
      new ProviderSettings(
          "groq", ProviderKind.OPENAI, "http://x/v1", "m", "", Duration.ofSeconds(1), 0, 0.1, 0.2);

  @Test
  void cost_is_tokens_times_the_configured_price() {
    double cost = spending.record(provider, "a", 2000, 1000, Duration.ofMillis(5));
    assertThat(cost).isEqualTo(0.4, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(spending.incident("a")).isEqualTo(new Spending.Tally(1, 2000, 1000, cost));
  }

  @Test
  void an_incident_stops_at_its_budget_and_the_day_at_its_own() {
    spending.record(provider, "a", 3000, 0, Duration.ZERO);
    assertThat(spending.refusal("a")).isNull();
    spending.record(provider, "a", 2000, 0, Duration.ZERO);
    assertThat(spending.refusal("a")).startsWith("incident LLM budget spent");
    assertThat(spending.refusal("b")).isNull();

    spending.record(provider, "b", 5000, 0, Duration.ZERO);
    assertThat(spending.refusal("c")).startsWith("daily LLM budget spent");
  }

  @Test
  void a_new_utc_day_brings_a_new_daily_budget() {
    spending.record(provider, "a", 10_000, 0, Duration.ZERO);
    assertThat(spending.refusal("b")).startsWith("daily LLM budget spent");

    clock.advance(Duration.ofDays(1));

    assertThat(spending.daySpentUsd()).isZero();
    assertThat(spending.refusal("b")).isNull();
    // The incident's own budget is not a daily one: it stays spent.
    assertThat(spending.refusal("a")).startsWith("incident LLM budget spent");
  }
}
