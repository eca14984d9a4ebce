package dev.sentinel.aws;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.Outcomes;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * The ECS executor, platform {@value #PLATFORM}: a target's scope is the cluster and its resource
 * the service. Operations: {@code scale} (the desired count: {@code replicas=N} or {@code
 * delta=+N}), {@code restart} (a new deployment of the same task definition) and {@code rollback}
 * (to the task definition revision before the current one). Each waits until the service has one
 * deployment left and runs its desired count.
 *
 * <p>The prior state is the service's desired count ({@code replicas}, so the safety limits apply
 * as to any scale) and its {@code taskDefinition}; a restore sets both back. Answers are kept per
 * key in memory. Thread-safe: changes run one at a time.
 */
public final class EcsExecutor implements Executor {

  public static final String PLATFORM = "aws-ecs";

  private final EcsClient ecs;
  private final Polling polling;
  private final Outcomes outcomes = new Outcomes();

  EcsExecutor(EcsClient ecs, Polling polling) {
    this.ecs = ecs;
    this.polling = polling;
  }

  public EcsExecutor(EcsClient ecs, Duration timeout) {
    this(ecs, new Polling(timeout, Duration.ofSeconds(5)));
  }

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  public Set<String> operations() {
    return Set.of("scale", "restart", "rollback");
  }

  @Override
  public PriorState capture(Action action) {
    Service service = service(action.target());
    return new PriorState(
        action.target(),
        Map.of(
            "replicas", Integer.toString(service.desiredCount()),
            "taskDefinition", service.taskDefinition()));
  }

  @Override
  public synchronized ActionResult apply(Action action, String idempotencyKey) {
    return outcomes.once(
        idempotencyKey,
        action.describe(),
        () -> Ec2Executor.guarded(action.target(), () -> perform(action)));
  }

  @Override
  public synchronized ActionResult restore(PriorState prior, String idempotencyKey) {
    String request = "restore " + prior.target() + " " + prior.state();
    return outcomes.once(
        idempotencyKey,
        request,
        () ->
            Ec2Executor.guarded(
                prior.target(),
                () -> {
                  int replicas = Integer.parseInt(prior.get("replicas"));
                  update(
                      prior.target(),
                      builder ->
                          builder
                              .desiredCount(replicas)
                              .taskDefinition(prior.get("taskDefinition")));
                  return applied(
                      prior.target(),
                      "restored "
                          + prior.target()
                          + " to "
                          + replicas
                          + " tasks of "
                          + prior.get("taskDefinition"));
                }));
  }

  /**
   * Only an absolute desired count sets a state; a relative scale, a forced new deployment and a
   * step back to the previous task definition would each act again.
   */
  @Override
  public boolean safeToRepeat(Action action) {
    return action.operation().equals("scale") && action.parameter("replicas") != null;
  }

  @Override
  public Map<String, String> describe(Target target) {
    Service service = service(target);
    Map<String, String> state = new LinkedHashMap<>();
    state.put("replicas", Integer.toString(service.desiredCount()));
    state.put("running", Integer.toString(service.runningCount()));
    state.put("taskDefinition", service.taskDefinition());
    state.put("deployments", Integer.toString(service.deployments().size()));
    return state;
  }

  private ActionResult perform(Action action) {
    Target target = action.target();
    return switch (action.operation()) {
      case "scale" -> {
        int current = service(target).desiredCount();
        int replicas =
            action.parameter("replicas") != null
                ? Integer.parseInt(action.parameter("replicas").strip())
                : current + Integer.parseInt(action.parameter("delta").strip().replace("+", ""));
        update(target, builder -> builder.desiredCount(replicas));
        yield applied(
            target, "scaled " + target + " from " + current + " to " + replicas + " tasks");
      }
      case "restart" -> {
        update(target, builder -> builder.forceNewDeployment(true));
        yield applied(target, "started a new deployment of " + target);
      }
      case "rollback" -> {
        String current = service(target).taskDefinition();
        String previous = previousRevision(current);
        update(target, builder -> builder.taskDefinition(previous));
        yield applied(
            target,
            "rolled " + target + " back from " + revision(current) + " to " + revision(previous));
      }
      default ->
          throw new IllegalArgumentException(
              "ECS cannot " + action.operation() + " (" + target + ")");
    };
  }

  private ActionResult applied(Target target, String done) {
    return new ActionResult.Applied(done, describe(target));
  }

  private void update(
      Target target, java.util.function.UnaryOperator<UpdateServiceRequest.Builder> change) {
    ecs.updateService(
        change
            .apply(
                UpdateServiceRequest.builder().cluster(cluster(target)).service(target.resource()))
            .build());
    if (!polling.until(() -> settled(service(target)))) {
      Service now = service(target);
      throw new IllegalStateException(
          target
              + " was changed but has not settled after "
              + polling.timeout().toMillis()
              + " ms ("
              + now.deployments().size()
              + " deployments, "
              + now.runningCount()
              + " of "
              + now.desiredCount()
              + " tasks running)");
    }
  }

  /** One deployment left (the new one) and all its tasks running: what ECS calls steady state. */
  private static boolean settled(Service service) {
    return service.deployments().size() <= 1 && service.runningCount() == service.desiredCount();
  }

  /** The ACTIVE revision of the same family just before {@code current}. */
  private String previousRevision(String current) {
    String family = family(current);
    int revision = revision(current);
    return ecs
        .listTaskDefinitionsPaginator(request -> request.familyPrefix(family).sort(SortOrder.DESC))
        .taskDefinitionArns()
        .stream()
        .filter(arn -> family(arn).equals(family) && revision(arn) < revision)
        .findFirst()
        .orElseThrow(
            () ->
                new NoSuchElementException(
                    "task definition " + family + " has no revision before " + revision));
  }

  /**
   * {@code arn:aws:ecs:eu-west-1:123:task-definition/checkout:7} or {@code checkout:7} → checkout.
   */
  private static String family(String taskDefinition) {
    String tail = taskDefinition.substring(taskDefinition.lastIndexOf('/') + 1);
    return tail.substring(0, tail.lastIndexOf(':'));
  }

  private static int revision(String taskDefinition) {
    return Integer.parseInt(taskDefinition.substring(taskDefinition.lastIndexOf(':') + 1));
  }

  private Service service(Target target) {
    var reply =
        ecs.describeServices(
            request -> request.cluster(cluster(target)).services(target.resource()));
    return reply.services().stream()
        .findFirst()
        .orElseThrow(
            () ->
                new NoSuchElementException(
                    "service "
                        + target.resource()
                        + " not found in cluster "
                        + cluster(target)
                        + reply.failures().stream()
                            .map(f -> " (" + f.reason() + ")")
                            .findFirst()
                            .orElse("")));
  }

  private static String cluster(Target target) {
    return target.scope().isEmpty() ? "default" : target.scope();
  }
}
