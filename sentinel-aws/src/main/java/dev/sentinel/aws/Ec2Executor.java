package dev.sentinel.aws;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.Outcomes;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * The EC2 executor, platform {@value #PLATFORM}: a target's resource is an instance id and its
 * scope the region (empty: the client's). Operations {@code reboot}, {@code stop} and {@code
 * start}; stop and start wait until the instance is {@code stopped} or {@code running}.
 *
 * <p>The prior state is the instance's {@code state}; a restore starts or stops it back into that
 * state (a reboot has nothing to undo). EC2 has no idempotency token for these calls: answers are
 * kept per key in memory, and stop and start are idempotent on the platform anyway (a repeated
 * reboot after a crash would reboot twice). Thread-safe: changes run one at a time.
 */
public final class Ec2Executor implements Executor {

  public static final String PLATFORM = "aws-ec2";

  private static final Logger log = LoggerFactory.getLogger(Ec2Executor.class);

  private final Ec2Client ec2;
  private final String region;
  private final Polling polling;
  private final Outcomes outcomes = new Outcomes();

  Ec2Executor(Ec2Client ec2, String region, Polling polling) {
    this.ec2 = ec2;
    this.region = region;
    this.polling = polling;
  }

  public Ec2Executor(Ec2Client ec2, String region, java.time.Duration timeout) {
    this(ec2, region, new Polling(timeout, java.time.Duration.ofSeconds(5)));
  }

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  public Set<String> operations() {
    return Set.of("reboot", "stop", "start");
  }

  @Override
  public PriorState capture(Action action) {
    return new PriorState(
        action.target(), Map.of("state", instance(action.target()).state().nameAsString()));
  }

  @Override
  public synchronized ActionResult apply(Action action, String idempotencyKey) {
    return outcomes.once(
        idempotencyKey, action.describe(), () -> guarded(action.target(), () -> perform(action)));
  }

  @Override
  public synchronized ActionResult restore(PriorState prior, String idempotencyKey) {
    String request = "restore " + prior.target() + " " + prior.state();
    return outcomes.once(
        idempotencyKey, request, () -> guarded(prior.target(), () -> putBack(prior)));
  }

  /** Stop and start set a state; a second reboot would reboot again. */
  @Override
  public boolean safeToRepeat(Action action) {
    return !action.operation().equals("reboot");
  }

  @Override
  public Map<String, String> describe(Target target) {
    Instance instance = instance(target);
    return Map.of(
        "state", instance.state().nameAsString(),
        "type", String.valueOf(instance.instanceTypeAsString()),
        "zone",
            instance.placement() == null
                ? ""
                : String.valueOf(instance.placement().availabilityZone()));
  }

  private ActionResult perform(Action action) {
    checkRegion(action.target());
    String id = action.target().resource();
    String done =
        switch (action.operation()) {
          case "reboot" -> {
            ec2.rebootInstances(request -> request.instanceIds(id));
            yield "rebooted " + id;
          }
          case "stop" -> stop(id);
          case "start" -> start(id);
          default ->
              throw new IllegalArgumentException(
                  "EC2 cannot " + action.operation() + " (" + id + ")");
        };
    return new ActionResult.Applied(done, describe(action.target()));
  }

  private ActionResult putBack(PriorState prior) {
    String id = prior.target().resource();
    String now = instance(prior.target()).state().nameAsString();
    String wanted = prior.get("state");
    String done;
    if (wanted.equals(now)) {
      done = id + " is " + now + " as before: nothing to restore";
    } else if (wanted.equals("running") || wanted.equals("pending")) {
      done = start(id);
    } else if (wanted.equals("stopped") || wanted.equals("stopping")) {
      done = stop(id);
    } else {
      throw new IllegalStateException(id + " was " + wanted + ", which Sentinel cannot restore");
    }
    return new ActionResult.Applied(done, describe(prior.target()));
  }

  private String stop(String id) {
    ec2.stopInstances(request -> request.instanceIds(id));
    return awaitState(id, "stopped", "stopped ");
  }

  private String start(String id) {
    ec2.startInstances(request -> request.instanceIds(id));
    return awaitState(id, "running", "started ");
  }

  private String awaitState(String id, String state, String verb) {
    Target target = new Target(PLATFORM, region, id);
    if (!polling.until(() -> state.equals(instance(target).state().nameAsString()))) {
      throw new IllegalStateException(
          id
              + " was asked to be "
              + state
              + " but is "
              + instance(target).state().nameAsString()
              + " after "
              + polling.timeout().toMillis()
              + " ms");
    }
    return verb + id;
  }

  private Instance instance(Target target) {
    checkRegion(target);
    return ec2
        .describeInstances(request -> request.instanceIds(target.resource()))
        .reservations()
        .stream()
        .flatMap(reservation -> reservation.instances().stream())
        .findFirst()
        .orElseThrow(
            () ->
                new java.util.NoSuchElementException(
                    "instance " + target.resource() + " not found"));
  }

  private void checkRegion(Target target) {
    if (!target.scope().isEmpty() && !target.scope().equals(region)) {
      throw new IllegalArgumentException(
          target + " is in region " + target.scope() + " but this executor acts in " + region);
    }
  }

  /** The platform's refusals and a request's mistakes become a failed result, never a throw. */
  static ActionResult guarded(Target target, Supplier<ActionResult> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException
        | IllegalStateException
        | java.util.NoSuchElementException e) {
      return new ActionResult.Failed(e.getMessage());
    } catch (SdkException e) {
      log.warn("AWS refused a change to {}", target, e);
      return new ActionResult.Failed("AWS refused a change to " + target + ": " + e.getMessage());
    }
  }
}
