package dev.sentinel.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Executor} must have; each executor's test extends this class (the
 * simulator, Kubernetes, AWS ECS), from sentinel-core's test jar.
 *
 * <p>What it assumes of a platform: the target can be scaled with {@code scale} and {@code
 * replicas=N} (N up to its replicas plus two), and its captured state says {@code replicas}.
 */
public abstract class ExecutorContract {

  private Executor executor;
  private Target target;

  /** A new executor, acting on a platform whose state no earlier test changed. */
  protected abstract Executor executor();

  /** A resource on that platform that can be scaled. */
  protected abstract Target scalableTarget();

  /** A resource the platform does not have. */
  protected abstract Target missingTarget();

  @BeforeEach
  void fresh() {
    executor = executor();
    target = scalableTarget();
  }

  private Action scaleTo(int replicas) {
    return new Action(target, "scale", Map.of("replicas", Integer.toString(replicas)));
  }

  private int replicas() {
    return Integer.parseInt(executor.capture(scaleTo(1)).get("replicas"));
  }

  @Test
  void it_acts_on_the_platform_of_its_targets_and_can_scale() {
    assertThat(executor.platform()).isEqualTo(target.platform());
    assertThat(executor.operations()).contains("scale");
  }

  @Test
  void capture_reads_the_state_before_the_action_and_changes_nothing() {
    int start = replicas();
    PriorState prior = executor.capture(scaleTo(start + 1));

    assertThat(prior.target()).isEqualTo(target);
    assertThat(executor.capture(scaleTo(start + 1))).isEqualTo(prior);
    executor.apply(scaleTo(start + 1), "contract/scale/1");

    assertThat(prior.get("replicas")).isEqualTo(Integer.toString(start));
    assertThat(replicas()).isEqualTo(start + 1);
  }

  @Test
  void restore_undoes_a_scale() {
    int start = replicas();
    PriorState prior = executor.capture(scaleTo(start + 2));
    assertThat(executor.apply(scaleTo(start + 2), "contract/scale/1"))
        .isInstanceOf(ActionResult.Applied.class);

    ActionResult restored = executor.restore(prior, "contract/restore/1");

    assertThat(restored).isInstanceOf(ActionResult.Applied.class);
    assertThat(replicas()).isEqualTo(start);
  }

  @Test
  void an_action_repeated_under_its_key_acts_once_and_answers_as_the_first_time() {
    int start = replicas();
    ActionResult first = executor.apply(scaleTo(start + 1), "contract/scale/1");
    executor.apply(scaleTo(start + 2), "contract/scale/2");

    ActionResult again = executor.apply(scaleTo(start + 1), "contract/scale/1");

    assertThat(again).isEqualTo(first);
    assertThat(replicas()).as("the repeat did not scale back").isEqualTo(start + 2);
  }

  @Test
  void a_restore_repeated_under_its_key_acts_once() {
    int start = replicas();
    PriorState prior = executor.capture(scaleTo(start + 1));
    executor.apply(scaleTo(start + 1), "contract/scale/1");
    ActionResult first = executor.restore(prior, "contract/restore/1");
    executor.apply(scaleTo(start + 2), "contract/scale/2");

    ActionResult again = executor.restore(prior, "contract/restore/1");

    assertThat(again).isEqualTo(first);
    assertThat(replicas()).isEqualTo(start + 2);
  }

  @Test
  void an_unknown_operation_fails_without_throwing_or_changing_anything() {
    Map<String, String> before = executor.describe(target);

    ActionResult result =
        executor.apply(new Action(target, "no-such-operation", Map.of()), "contract/unknown/1");

    assertThat(result).isInstanceOf(ActionResult.Failed.class);
    assertThat(result.summary()).contains("no-such-operation");
    assertThat(executor.describe(target)).isEqualTo(before);
  }

  @Test
  void an_action_on_a_missing_resource_fails_without_throwing() {
    Action scale = new Action(missingTarget(), "scale", Map.of("replicas", "2"));

    ActionResult result = executor.apply(scale, "contract/missing/1");

    assertThat(result).isInstanceOf(ActionResult.Failed.class);
    assertThat(result.summary()).contains(missingTarget().resource());
  }

  @Test
  void describe_reports_the_replicas_capture_reads() {
    assertThat(executor.describe(target))
        .containsEntry("replicas", executor.capture(scaleTo(1)).get("replicas"));
  }
}
