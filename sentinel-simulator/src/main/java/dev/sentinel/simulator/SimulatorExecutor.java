package dev.sentinel.simulator;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The executor of the simulated fleet, platform {@value #PLATFORM}: a target's resource is a
 * service's name and its scope is ignored. It performs {@code restart}, {@code scale} ({@code
 * replicas=6}, or {@code delta=+3} relative to now), {@code deploy} ({@code version=v2.15.0}) and
 * {@code rollback}; {@link #restore} undoes any of them.
 *
 * <p>Idempotency: the answer to every {@link #apply} and {@link #restore} is kept under its key and
 * saved with the fleet in the {@link FleetStateFile} before the call returns, so a repeat of the
 * key gets the first answer without touching the fleet, in this process or after a restart. A key
 * repeated with a different request gets a {@link ActionResult.Failed} and changes nothing. Only
 * the latest {@value #KEYS_KEPT} keys are kept: a workflow repeats the step it was in when it
 * crashed, not one from hundreds of actions ago.
 *
 * <p>A request the fleet cannot carry out (unknown service or operation, a missing or malformed
 * parameter, nothing to roll back to) gives a {@code Failed} with the reason, never an exception. A
 * state file that cannot be written throws {@link StateFileException}: the change has then been
 * made and its answer kept in memory, but neither would survive a restart.
 *
 * <p>Thread-safe: calls that change the fleet run one at a time. Locks are taken executor first,
 * then fleet; the fleet never calls back.
 */
public final class SimulatorExecutor implements Executor {

  public static final String PLATFORM = "simulator";
  static final int KEYS_KEPT = 1_000;

  private final Fleet fleet;
  private final FleetActions actions;
  private final FleetStateFile file;
  private final Clock clock;
  private final LinkedHashMap<String, KeyedOutcome> outcomes = new LinkedHashMap<>();

  private SimulatorExecutor(
      Fleet fleet, FleetStateFile file, Clock clock, List<KeyedOutcome> saved) {
    this.fleet = fleet;
    this.actions = new FleetActions(fleet);
    this.file = file;
    this.clock = clock;
    saved.forEach(this::remember);
  }

  /**
   * An executor for {@code fleet} that keeps its state in {@code file}. When the file holds a saved
   * state, the fleet is first put back in it and the saved keys are remembered, so call this before
   * the fleet emits anything. Nothing is written until the first action or {@link #save()}.
   *
   * @throws StateFileException when the file is damaged or was saved from a different fleet
   */
  public static SimulatorExecutor open(Fleet fleet, FleetStateFile file, Clock clock) {
    Objects.requireNonNull(fleet, "fleet");
    Objects.requireNonNull(clock, "clock");
    Optional<FleetStateFile.Saved> saved = file.load();
    if (saved.isPresent()) {
      try {
        fleet.restoreState(saved.get().fleet());
      } catch (SimulatorException e) {
        throw new StateFileException(file.path() + ": " + e.getMessage(), e);
      }
    }
    return new SimulatorExecutor(
        fleet, file, clock, saved.map(FleetStateFile.Saved::outcomes).orElse(List.of()));
  }

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  public Set<String> operations() {
    return FleetActions.OPERATIONS;
  }

  /**
   * {@code replicas}, {@code version} and, when a rollback is possible, {@code previousVersion}.
   *
   * @throws SimulatorException when the target is not a service of this fleet
   */
  @Override
  public PriorState capture(Action action) {
    return actions.capture(action.target());
  }

  @Override
  public synchronized ActionResult apply(Action action, String idempotencyKey) {
    return once(idempotencyKey, action.describe(), atMillis -> actions.apply(action, atMillis));
  }

  @Override
  public synchronized ActionResult restore(PriorState prior, String idempotencyKey) {
    String request = "restore " + prior.target() + " " + prior.state();
    return once(idempotencyKey, request, atMillis -> actions.restore(prior, atMillis));
  }

  /**
   * The {@link #capture} map plus {@code faults}: the faults acting on the service now, e.g. {@code
   * memory_leak since 2024-05-15T14:00:00Z}, or {@code none}.
   *
   * @throws SimulatorException when the target is not a service of this fleet
   */
  /** Its outcomes by key are saved with the fleet's state, so they outlive a restart. */
  @Override
  public boolean safeToRepeat(Action action) {
    return true;
  }

  @Override
  public Map<String, String> describe(Target target) {
    return actions.describe(target, clock.millis());
  }

  /**
   * Writes the fleet and the kept keys to the state file now. The executor does this after each
   * {@link #apply} and {@link #restore}; call it after changing the fleet another way (injecting or
   * clearing faults) so that the change survives a restart too.
   *
   * @throws StateFileException when the file cannot be written
   */
  public synchronized void save() {
    file.save(fleet.snapshotState(), List.copyOf(outcomes.values()));
  }

  private ActionResult once(String key, String request, LongFunction<ActionResult> action) {
    Objects.requireNonNull(key, "idempotencyKey");
    KeyedOutcome first = outcomes.get(key);
    if (first != null) {
      return first.request().equals(request)
          ? first.result()
          : new ActionResult.Failed(
              "idempotency key '"
                  + key
                  + "' was first used for '"
                  + first.request()
                  + "'; not performing '"
                  + request
                  + "' under it");
    }
    ActionResult result;
    try {
      result = action.apply(clock.millis());
    } catch (SimulatorException e) {
      result = new ActionResult.Failed(e.getMessage());
    }
    remember(new KeyedOutcome(key, request, result));
    save();
    return result;
  }

  private void remember(KeyedOutcome outcome) {
    outcomes.put(outcome.key(), outcome);
    if (outcomes.size() > KEYS_KEPT) {
      outcomes.pollFirstEntry();
    }
  }
}
