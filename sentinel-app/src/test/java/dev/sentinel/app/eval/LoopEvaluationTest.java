package dev.sentinel.app.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.config.SentinelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A short run of the fault matrix (issue 16) through the real loop on simulated time: detection,
 * the correlator, the workflow with the rule analyst and planner, approvals, the simulator's
 * executor and verification. It fails when an invariant breaks.
 *
 * <p>It does not assert the accuracy targets (detected, diagnosed, resolved shares): those
 * are the later work, measured by {@code sentinel eval loop --trials 200} in {@code
 * bench/RESULTS-loop.md}.
 *
 * <p>Two kinds of break happen on the code as it is, and are listed in {@link #KNOWN}: the fixes
 * are items 2 and 3 of the issue (a scale-up is never undone; a later fault of a service joins the
 * incident of an earlier one). The test fails on a break of any other kind, and also when a listed
 * kind no longer happens, so that the list only shrinks: once it is empty, any break fails.
 */
class LoopEvaluationTest {

  static final int TRIALS = 20;
  static final long SEED = 1;

  /**
   * Break kinds (as {@link LoopReport#kindOf} names them) the loop has today; see the class doc.
   */
  static final Set<String> KNOWN =
      Set.of("replicas not back at baseline after the fault", "incident spans two faults");

  private static LoopEvaluation.Run run;
  private static final List<String> lines = new ArrayList<>();

  @BeforeAll
  static void runTheMatrix() {
    run =
        new LoopEvaluation(SentinelConfig.defaults(), 60_000, false).run(TRIALS, SEED, lines::add);
  }

  @Test
  void every_family_of_the_matrix_runs_and_every_injected_fault_gets_a_record() {
    assertThat(run.results()).hasSize(TRIALS);
    assertThat(run.results().stream().map(r -> r.scenario().family()))
        .contains("single", "pair", "cascade", "sequence", "quiet");
    for (TrialResult result : run.results()) {
      assertThat(result.faults()).hasSize(result.scenario().faults().size());
      if (result.scenario().quiet()) {
        assertThat(result.simulatedSeconds()).isGreaterThanOrEqualTo(Trial.QUIET_DAY_SECONDS);
      }
    }
    assertThat(lines).hasSize(TRIALS);
  }

  @Test
  void the_harness_sees_the_loop_detect_act_on_and_verify_a_fault() {
    List<FaultOutcome> faults =
        run.results().stream().flatMap(result -> result.faults().stream()).toList();
    assertThat(faults).anyMatch(FaultOutcome::detected);
    assertThat(faults)
        .anyMatch(
            fault ->
                fault.resolved()
                    && fault.actions().stream().anyMatch(FaultOutcome.ActionTaken::right));
  }

  @Test
  void no_invariant_breaks_other_than_the_known_ones_and_every_known_one_still_happens() {
    Set<String> kinds = new TreeSet<>();
    run.results()
        .forEach(result -> result.invariantBreaks().forEach(b -> kinds.add(LoopReport.kindOf(b))));
    List<String> unknown =
        run.results().stream()
            .flatMap(result -> result.invariantBreaks().stream())
            .filter(text -> !KNOWN.contains(LoopReport.kindOf(text)))
            .toList();
    assertThat(unknown).as("invariant breaks of a kind the loop did not have").isEmpty();
    assertThat(kinds)
        .as("a known break no longer happens: take it off LoopEvaluationTest.KNOWN")
        .containsAll(KNOWN);
  }
}
