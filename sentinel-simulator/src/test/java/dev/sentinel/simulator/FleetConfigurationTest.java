package dev.sentinel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetConfigurationTest {

  private static final Duration SPIKE = Duration.ofMinutes(1);

  @Test
  void a_call_to_a_service_outside_the_fleet_is_refused() {
    List<ServiceProfile> profiles = List.of(service("web", "search"));

    assertThatThrownBy(() -> new Fleet(1, profiles, SPIKE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("web calls 'search'");
  }

  @Test
  void services_that_call_each_other_in_a_cycle_are_refused() {
    List<ServiceProfile> profiles = List.of(service("a", "b"), service("b", "a"));

    assertThatThrownBy(() -> new Fleet(1, profiles, SPIKE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cycle");
  }

  @Test
  void a_service_listed_twice_is_refused() {
    List<ServiceProfile> profiles = List.of(service("a", null), service("a", null));

    assertThatThrownBy(() -> new Fleet(1, profiles, SPIKE))
        .hasMessageContaining("'a' is listed twice");
  }

  @Test
  void the_next_version_increments_the_trailing_number() {
    assertThat(Releases.next("v1.8.3")).isEqualTo("v1.8.4");
    assertThat(Releases.next("15.9")).isEqualTo("15.10");
    assertThat(Releases.next("latest")).isEqualTo("latest.1");
  }

  private static ServiceProfile service(String name, String calls) {
    List<Dependency> dependencies =
        calls == null ? List.of() : List.of(new Dependency(calls, 1, 0));
    return new ServiceProfile(
        name,
        name + "-1",
        "test",
        "v1",
        1,
        100,
        200,
        5,
        4,
        0.001,
        new MemoryProfile(100_000_000, 400_000_000, 10_000_000, 60_000),
        1_000,
        dependencies);
  }
}
