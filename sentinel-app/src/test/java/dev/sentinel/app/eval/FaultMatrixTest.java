package dev.sentinel.app.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.simulator.FaultKind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultMatrixTest {

  @Test
  void any_ten_trials_cover_every_family() {
    List<Scenario> ten = FaultMatrix.trials(10, 7);
    assertThat(ten.stream().map(Scenario::family))
        .containsExactlyInAnyOrder(
            "single",
            "single",
            "single",
            "single",
            "single",
            "single",
            "pair",
            "cascade",
            "quiet",
            "sequence");
  }

  @Test
  void the_single_faults_of_200_trials_cover_every_kind_in_every_service_at_every_hour() {
    Set<String> cells = new HashSet<>();
    for (Scenario scenario : FaultMatrix.trials(200, 3)) {
      if (scenario.family().equals("single")) {
        Scenario.Planned fault = scenario.faults().getFirst();
        cells.add(fault.kind() + "@" + fault.service() + "@" + scenario.hourUtc());
      }
    }
    assertThat(cells)
        .hasSize(
            FaultKind.values().length * FaultMatrix.SERVICES.size() * FaultMatrix.HOURS.size());
  }

  @Test
  void the_same_seed_gives_the_same_trials_and_another_seed_another_order() {
    assertThat(FaultMatrix.trials(30, 5)).isEqualTo(FaultMatrix.trials(30, 5));
    assertThat(FaultMatrix.trials(30, 5)).isNotEqualTo(FaultMatrix.trials(30, 6));
  }
}
