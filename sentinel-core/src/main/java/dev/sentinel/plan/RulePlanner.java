package dev.sentinel.plan;

import dev.sentinel.analyse.Analysis;
import dev.sentinel.analyse.CaseFile;
import dev.sentinel.analyse.Hypothesis;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Plans from the playbook: the plays for the likeliest cause, those that worked before first, and
 * none that this incident already tried without success.
 */
public final class RulePlanner implements Planner {

  /** Restarting a stateful service hurts its dependents for longer than a stateless one. */
  private static final int STATEFUL_DOWNTIME_FACTOR = 6;

  private final Playbook playbook;
  private final OutcomeHistory history;
  private final String platform;
  private final String scope;
  private final String resource;

  /**
   * @param platform the executor platform remediation targets, e.g. {@code simulator}
   * @param scope the namespace, region or cluster of the targets (empty for none)
   */
  public RulePlanner(Playbook playbook, OutcomeHistory history, String platform, String scope) {
    this(playbook, history, platform, scope, "{service}");
  }

  /**
   * @param resource how the target is named from the incident's service: {@code {service}}, or
   *     {@code deployment/{service}} where the platform names resources by kind
   */
  public RulePlanner(
      Playbook playbook, OutcomeHistory history, String platform, String scope, String resource) {
    this.playbook = playbook;
    this.history = history;
    this.platform = platform;
    this.scope = scope;
    this.resource = resource;
  }

  @Override
  public Target target(String platform, String service) {
    return new Target(platform, scope, resource.replace("{service}", service));
  }

  @Override
  public Plan plan(CaseFile file, Analysis analysis) {
    Optional<Hypothesis> likeliest = analysis.likeliest();
    String service = file.incident().service();
    if (likeliest.isEmpty() || service == null) {
      return new Plan(List.of(), "No known cause or service: a human must decide.");
    }
    String cause = likeliest.get().cause();
    Optional<Playbook.Play> play =
        playbook.forCause(cause).stream()
            .filter(candidate -> !alreadyFailed(file, candidate.operation()))
            .sorted(
                Comparator.comparingInt(
                        (Playbook.Play candidate) ->
                            history.netSuccesses(cause, candidate.operation()))
                    .reversed())
            .findFirst();
    if (play.isEmpty()) {
      return new Plan(
          List.of(),
          "Every play for "
              + cause
              + " was tried on this incident without success: a human must"
              + " decide.");
    }
    boolean stateful = playbook.stateful().contains(service);
    Playbook.Play chosen = play.get();
    long downtime = chosen.downtimeSeconds() * (stateful ? STATEFUL_DOWNTIME_FACTOR : 1);
    BlastRadius radius = stateful ? BlastRadius.DEPENDENTS : chosen.radius();
    int worked = history.netSuccesses(cause, chosen.operation());
    String rationale =
        chosen.operation()
            + " is the playbook's answer to "
            + cause
            + (worked > 0 ? " and resolved it " + worked + " time(s) before" : "")
            + (stateful ? "; " + service + " is stateful, so its dependents feel it" : "");
    Action action = new Action(target(platform, service), chosen.operation(), chosen.parameters());
    PlanStep step = PlanStep.of(action, downtime, radius, rationale);
    return new Plan(
        List.of(step),
        action.describe() + " (risk " + step.risk() + ", ~" + downtime + " s downtime)");
  }

  private static boolean alreadyFailed(CaseFile file, String operation) {
    return file.attempts().stream().anyMatch(attempt -> attempt.startsWith(operation + " "));
  }
}
