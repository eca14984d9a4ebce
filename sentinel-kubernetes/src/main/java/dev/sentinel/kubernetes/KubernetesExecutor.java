package dev.sentinel.kubernetes;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.Outcomes;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes executor, platform {@value #PLATFORM}, on the fabric8 client. A target's scope is
 * the namespace and its resource {@code kind/name} (see {@link KubernetesTarget}). Operations:
 *
 * <ul>
 *   <li>{@code delete-pod} on {@code pod/NAME}: its controller replaces it;
 *   <li>{@code restart} on a deployment or statefulset: a rollout restart, as {@code kubectl
 *       rollout restart} does it (a new {@code kubectl.kubernetes.io/restartedAt} on the pod
 *       template);
 *   <li>{@code scale} on a deployment or statefulset: {@code replicas=N} or {@code delta=+N};
 *   <li>{@code rollback} on a deployment: back to the revision before the current one;
 *   <li>{@code cordon} on {@code node/NAME}.
 * </ul>
 *
 * Workload changes wait for the rollout to become ready, up to the configured timeout; a rollout
 * that is not ready in time is a {@link ActionResult.Failed}, which the workflow rolls back.
 *
 * <p>Idempotency: answers are kept per key in memory ({@link Outcomes}), and a template-changing
 * action marks the workload with its key, so a re-run after a crash does not restart twice.
 * Thread-safe: calls that change the cluster run one at a time.
 */
public final class KubernetesExecutor implements Executor {

  public static final String PLATFORM = "kubernetes";
  static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

  private static final Logger log = LoggerFactory.getLogger(KubernetesExecutor.class);

  private final Workloads workloads;
  private final Revisions revisions;
  private final PodsAndNodes podsAndNodes;
  private final Outcomes outcomes = new Outcomes();

  /**
   * @param rolloutTimeout how long a workload change may take to become ready; zero: no wait
   */
  public KubernetesExecutor(KubernetesClient client, Duration rolloutTimeout) {
    this.workloads = new Workloads(client, rolloutTimeout);
    this.revisions = new Revisions(client);
    this.podsAndNodes = new PodsAndNodes(client);
  }

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  public Set<String> operations() {
    return Set.of("delete-pod", "restart", "scale", "rollback", "cordon");
  }

  @Override
  public PriorState capture(Action action) {
    KubernetesTarget target = KubernetesTarget.of(action.target());
    Map<String, String> state =
        switch (target.kind()) {
          case "pod" -> podsAndNodes.capturePod(target);
          case "node" -> podsAndNodes.captureNode(target);
          default -> workloads.capture(target);
        };
    return new PriorState(action.target(), state);
  }

  @Override
  public synchronized ActionResult apply(Action action, String idempotencyKey) {
    return outcomes.once(idempotencyKey, action.describe(), () -> perform(action, idempotencyKey));
  }

  @Override
  public synchronized ActionResult restore(PriorState prior, String idempotencyKey) {
    String request = "restore " + prior.target() + " " + prior.state().keySet();
    return outcomes.once(idempotencyKey, request, () -> putBack(prior, idempotencyKey));
  }

  /**
   * Restart and rollback look for their key on the workload, cordon and an absolute scale set a
   * state, so repeating them changes nothing; a relative scale would add again, and a pod deleted
   * twice may be its replacement.
   */
  @Override
  public boolean safeToRepeat(Action action) {
    return switch (action.operation()) {
      case "restart", "rollback", "cordon" -> true;
      case "scale" -> action.parameter("replicas") != null;
      default -> false;
    };
  }

  @Override
  public Map<String, String> describe(Target target) {
    KubernetesTarget resource = KubernetesTarget.of(target);
    return switch (resource.kind()) {
      case "pod" -> podsAndNodes.capturePod(resource);
      case "node" -> podsAndNodes.captureNode(resource);
      default -> workloads.describe(resource);
    };
  }

  private ActionResult perform(Action action, String key) {
    return guarded(
        action.target(),
        () -> {
          KubernetesTarget target = KubernetesTarget.of(action.target());
          String done =
              switch (action.operation() + " " + target.kind()) {
                case "delete-pod pod" -> podsAndNodes.deletePod(target);
                case "cordon node" -> podsAndNodes.setUnschedulable(target, true);
                case "scale deployment", "scale statefulset" -> scale(target, action, key);
                case "restart deployment", "restart statefulset" -> restart(target, key);
                case "rollback deployment" -> rollback(target, key);
                default ->
                    throw new IllegalArgumentException(
                        "cannot "
                            + action.operation()
                            + " a "
                            + target.kind()
                            + " ("
                            + target
                            + ")");
              };
          return new ActionResult.Applied(done, describe(action.target()));
        });
  }

  private String scale(KubernetesTarget target, Action action, String key) {
    int current = Workloads.replicas(workloads.get(target));
    int replicas =
        action.parameter("replicas") != null
            ? Integer.parseInt(action.parameter("replicas").strip())
            : current + Integer.parseInt(action.parameter("delta").strip().replace("+", ""));
    String rollout =
        workloads.change(target, key, workload -> Workloads.setReplicas(workload, replicas));
    return "scaled " + target + " from " + current + " to " + replicas + " replicas" + rollout;
  }

  private String restart(KubernetesTarget target, String key) {
    if (workloads.alreadyDone(target, key)) {
      return "restarted " + target + " (already, under " + key + ")";
    }
    String now = Instant.now().toString();
    String rollout =
        workloads.change(
            target,
            key,
            workload -> {
              var template = Workloads.template(workload);
              if (template.getMetadata() == null) {
                template.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
              }
              if (template.getMetadata().getAnnotations() == null) {
                template.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
              }
              template.getMetadata().getAnnotations().put(RESTARTED_AT, now);
            });
    return "restarted " + target + rollout;
  }

  private String rollback(KubernetesTarget target, String key) {
    if (workloads.alreadyDone(target, key)) {
      return "rolled " + target + " back (already, under " + key + ")";
    }
    Revisions.Previous previous = revisions.previous(target, (Deployment) workloads.get(target));
    String rollout =
        workloads.change(
            target, key, workload -> Workloads.setTemplate(workload, previous.template()));
    return "rolled "
        + target
        + " back from revision "
        + previous.current()
        + " to "
        + previous.revision()
        + rollout;
  }

  private ActionResult putBack(PriorState prior, String key) {
    return guarded(
        prior.target(),
        () -> {
          KubernetesTarget target = KubernetesTarget.of(prior.target());
          String done =
              switch (target.kind()) {
                case "pod" ->
                    "nothing to restore: a deleted pod is replaced by its controller, not brought back";
                case "node" ->
                    podsAndNodes.setUnschedulable(
                        target, Boolean.parseBoolean(prior.get("unschedulable")));
                default -> {
                  var template = workloads.parseTemplate(prior.get("template"));
                  int replicas = Integer.parseInt(prior.get("replicas"));
                  String rollout =
                      workloads.change(
                          target,
                          key,
                          (HasMetadata workload) -> {
                            Workloads.setReplicas(workload, replicas);
                            Workloads.setTemplate(workload, template);
                          });
                  yield "restored "
                      + target
                      + " to "
                      + replicas
                      + " replicas and its earlier pod template"
                      + rollout;
                }
              };
          return new ActionResult.Applied(done, describe(prior.target()));
        });
  }

  /** Runs a change; what the cluster or the request got wrong becomes a failed result. */
  private static ActionResult guarded(Target target, Supplier<ActionResult> change) {
    try {
      return change.get();
    } catch (Workloads.RolloutTimeout
        | NoSuchElementException
        | IllegalArgumentException
        | IllegalStateException e) {
      return new ActionResult.Failed(e.getMessage());
    } catch (KubernetesClientException e) {
      log.warn("the Kubernetes API refused a change to {}", target, e);
      return new ActionResult.Failed(
          "the Kubernetes API refused a change to " + target + ": " + e.getMessage());
    }
  }
}
