package dev.sentinel.execute;

import dev.sentinel.plan.Action;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one gate in front of every executor. In order: an executor must exist for the platform and
 * know the operation; the target must match the platform's allow list; the target's prior state is
 * read and the action checked against the limits; the prior state is handed over to be stored (the
 * rollback is registered before the action runs); then, unless the platform is in dry-run, the
 * executor acts. Whatever stops an action says why, in the result's summary.
 *
 * <p>Thread-safe; holds no state of its own beyond its configuration.
 */
public final class ActionGuard {

  private static final Logger log = LoggerFactory.getLogger(ActionGuard.class);

  private final ExecutorRegistry registry;
  private final SafetyConfig safety;
  private final ScaleLimit scaleLimit;

  public ActionGuard(ExecutorRegistry registry, SafetyConfig safety) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.safety = Objects.requireNonNull(safety, "safety");
    this.scaleLimit = new ScaleLimit(safety.limits());
  }

  public ExecutorRegistry registry() {
    return registry;
  }

  public SafetyConfig safety() {
    return safety;
  }

  /**
   * Runs the action through every safety layer.
   *
   * @param known the prior state stored by an earlier try of the same key (a re-run after a crash),
   *     or {@code null} to capture it now
   * @param beforeActing stores the prior state; called before the executor acts (and before a
   *     dry-run is recorded), never for a refusal that came before the target was read
   */
  public Attempt act(
      Action action, String idempotencyKey, PriorState known, Consumer<PriorState> beforeActing) {
    Optional<String> refusal = registry.unsupported(action).or(() -> notAllowed(action));
    if (refusal.isPresent()) {
      return new Attempt(null, new ActionResult.Refused(refusal.get()));
    }
    Executor executor = registry.find(action.target().platform()).orElseThrow();
    PriorState prior = known;
    if (prior == null) {
      try {
        prior = executor.capture(action);
      } catch (RuntimeException e) {
        log.warn("reading the state of {} before {} failed", action.target(), idempotencyKey, e);
        return new Attempt(
            null,
            new ActionResult.Failed(
                "could not read the state of "
                    + action.target()
                    + " before acting: "
                    + e.getMessage()));
      }
    }
    Optional<String> beyond = scaleLimit.exceeded(action, prior);
    if (beyond.isPresent()) {
      return new Attempt(prior, new ActionResult.Refused(beyond.get()));
    }
    beforeActing.accept(prior);
    if (safety.dryRun(action.target().platform())) {
      return new Attempt(
          prior,
          new ActionResult.DryRun(
              "dry-run on "
                  + action.target().platform()
                  + ": would "
                  + action.describe()
                  + "; it is now "
                  + prior.state()));
    }
    return new Attempt(prior, executor.apply(action, idempotencyKey));
  }

  /**
   * Whether the action may run again under a key of before a restart (see {@link
   * Executor#safeToRepeat}); a dry-run, or a platform without an executor, never acts, so may.
   */
  public boolean safeToRepeat(Action action) {
    String platform = action.target().platform();
    return safety.dryRun(platform)
        || registry.find(platform).map(executor -> executor.safeToRepeat(action)).orElse(true);
  }

  /**
   * Puts a target back as {@code prior} recorded it. Not held to the allow list or the limits: it
   * undoes an action that passed them. Fails when no executor acts on the platform any more.
   */
  public ActionResult restore(PriorState prior, String idempotencyKey) {
    return registry
        .find(prior.target().platform())
        .map(executor -> executor.restore(prior, idempotencyKey))
        .orElseGet(
            () ->
                new ActionResult.Failed(
                    "no executor acts on platform '"
                        + prior.target().platform()
                        + "' to restore it"));
  }

  private Optional<String> notAllowed(Action action) {
    String platform = action.target().platform();
    String path = path(action);
    List<ResourcePattern> allowed = safety.allowed(platform);
    if (allowed.stream().anyMatch(pattern -> pattern.matches(path))) {
      return Optional.empty();
    }
    return Optional.of(
        "'"
            + path
            + "' is not on the "
            + platform
            + " allow list ("
            + (allowed.isEmpty() ? "empty: nothing may be touched" : allowed)
            + "; remediation.safety.allow."
            + platform
            + ")");
  }

  /** What allow-list patterns are matched against: {@code scope/resource}, or the resource. */
  static String path(Action action) {
    String scope = action.target().scope();
    return scope.isEmpty() ? action.target().resource() : scope + "/" + action.target().resource();
  }
}
