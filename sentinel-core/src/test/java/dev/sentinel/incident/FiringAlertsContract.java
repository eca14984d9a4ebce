package dev.sentinel.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What every {@link FiringAlerts} must do; adapters extend this with their own set-up. */
public abstract class FiringAlertsContract {

  /** A fresh, empty store of firing alerts. */
  protected abstract FiringAlerts alerts();

  /** Another handle on the state of the last {@link #alerts()}: another instance, or a restart. */
  protected abstract FiringAlerts sameStateAgain();

  @Test
  void a_fired_alert_is_found_with_its_incident_until_it_resolves() {
    FiringAlerts alerts = alerts();
    assertThat(alerts.find("fp1")).isEmpty();

    alerts.fire("fp1", "inc-1", 1_000);

    assertThat(alerts.find("fp1")).contains(new FiringAlerts.Firing("inc-1", 1_000));
    assertThat(alerts.firesOn("inc-1")).isTrue();
    assertThat(alerts.firesOn("inc-2")).isFalse();
    assertThat(alerts.resolve("fp1")).contains(new FiringAlerts.Firing("inc-1", 1_000));
    assertThat(alerts.find("fp1")).isEmpty();
    assertThat(alerts.firesOn("inc-1")).isFalse();
    assertThat(alerts.resolve("fp1")).isEmpty();
  }

  @Test
  void an_incident_is_silenced_once_its_last_alert_resolved_with_its_newest_start() {
    FiringAlerts alerts = alerts();
    alerts.fire("fp1", "inc-1", 1_000);
    alerts.fire("fp2", "inc-1", 5_000);
    alerts.fire("fp3", "inc-2", 9_000);

    alerts.resolve("fp2");
    assertThat(alerts.silenced("inc-1")).isEmpty();
    alerts.resolve("fp1");
    assertThat(alerts.silenced("inc-1")).isEqualTo(OptionalLong.of(5_000));
    // Forgotten once told.
    assertThat(alerts.silenced("inc-1")).isEmpty();
    assertThat(alerts.silenced("inc-9")).isEmpty();
    assertThat(alerts.firesOn("inc-2")).isTrue();
  }

  @Test
  void an_alert_firing_again_moves_to_its_new_incident() {
    FiringAlerts alerts = alerts();
    alerts.fire("fp1", "inc-1", 1_000);
    alerts.fire("fp1", "inc-2", 2_000);

    assertThat(alerts.find("fp1")).contains(new FiringAlerts.Firing("inc-2", 2_000));
    assertThat(alerts.firesOn("inc-1")).isFalse();
    assertThat(alerts.firesOn("inc-2")).isTrue();
  }

  @Test
  void another_handle_on_the_same_state_knows_what_fires() {
    FiringAlerts first = alerts();
    first.fire("fp1", "inc-1", 1_000);
    first.fire("fp2", "inc-1", 3_000);

    FiringAlerts second = sameStateAgain();
    assertThat(second.find("fp1")).contains(new FiringAlerts.Firing("inc-1", 1_000));
    assertThat(second.firesOn("inc-1")).isTrue();
    second.resolve("fp1");
    assertThat(first.find("fp1")).isEmpty();
    first.resolve("fp2");
    assertThat(second.silenced("inc-1")).isEqualTo(OptionalLong.of(3_000));
  }
}
