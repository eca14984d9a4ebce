package dev.sentinel.app.eval;

import java.util.List;

/**
 * One trial's record.
 *
 * @param incidents incidents opened while the fleet ran live
 * @param opened each of them: when, where, what role it played and how it ended
 * @param knockOn incidents of services that call a faulty one, opened while it was faulty
 * @param spurious incidents neither of a fault nor of its knock-on effects
 * @param invariantBreaks each broken invariant, in words; empty when all held
 * @param wallClockLimited plans sent to the stand-in because the approval policy's wall-clock rate
 *     limit or breaker tripped over the compressed time (an artefact of the evaluation)
 * @param simulatedSeconds how long the trial ran live
 */
record TrialResult(
    int index,
    Scenario scenario,
    List<FaultOutcome> faults,
    int incidents,
    List<Opened> opened,
    int knockOn,
    int spurious,
    List<String> invariantBreaks,
    int wallClockLimited,
    long simulatedSeconds,
    long wallMillis) {

  /**
   * One incident of the trial.
   *
   * @param openedSeconds when it opened, in seconds after the fleet went live
   * @param role {@code fault} (it holds a fault's anomalies), {@code knock-on} (a caller of a
   *     faulty service, while it was faulty) or {@code spurious} (neither)
   * @param reopened how many times it was reopened
   * @param diagnosis the top cause of its first analysis, {@code transient}, or {@code none}
   */
  record Opened(
      String id,
      String service,
      long openedSeconds,
      String role,
      String status,
      int reopened,
      String diagnosis,
      String resolution) {}

  TrialResult {
    opened = List.copyOf(opened);
    faults = List.copyOf(faults);
    invariantBreaks = List.copyOf(invariantBreaks);
  }
}
