package dev.sentinel.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.Executor;
import dev.sentinel.execute.ExecutorContract;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import dev.sentinel.trace.RequestIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;

/** The ECS executor against a local fake of the ECS JSON 1.1 API; asserts the exact requests. */
class EcsExecutorTest extends ExecutorContract {

  private static final String TASKS = "arn:aws:ecs:eu-west-1:123456789012:task-definition/";

  private final ObjectMapper json = new ObjectMapper();
  private AwsFake aws;
  private final List<EcsClient> clients = new ArrayList<>();

  @Override
  protected Executor executor() {
    if (aws == null) {
      fake();
    }
    EcsClient client =
        AwsClients.ecs(
            "eu-west-1",
            aws.endpoint().toString(),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));
    clients.add(client);
    return new EcsExecutor(client, new Polling(Duration.ofSeconds(5), Duration.ofMillis(1)));
  }

  @Override
  protected Target scalableTarget() {
    return new Target("aws-ecs", "prod", "checkout");
  }

  @Override
  protected Target missingTarget() {
    return new Target("aws-ecs", "prod", "nope");
  }

  @BeforeEach
  void fake() {
    if (aws != null) {
      return;
    }
    try {
      aws = new AwsFake();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    aws.service("checkout", 3, TASKS + "checkout:7");
    aws.taskDefinitions.addAll(
        List.of(
            TASKS + "checkout:5",
            TASKS + "checkout:6",
            TASKS + "checkout:7",
            TASKS + "checkout-worker:9"));
  }

  @AfterEach
  void stop() {
    clients.forEach(EcsClient::close);
    aws.close();
  }

  private static Action action(String operation, Map<String, String> parameters) {
    return new Action(new Target("aws-ecs", "prod", "checkout"), operation, parameters);
  }

  /** The UpdateService calls, as the JSON bodies the SDK sent. */
  private List<JsonNode> updates() {
    List<JsonNode> updates = new ArrayList<>();
    for (int i = 0; i < aws.ecsTargets.size(); i++) {
      if (aws.ecsTargets.get(i).equals(AwsFake.ECS_PREFIX + "UpdateService")) {
        updates.add(aws.ecsBodies.get(i));
      }
    }
    return updates;
  }

  private JsonNode body(String text) throws Exception {
    return json.readTree(text);
  }

  @Test
  void capture_reads_desired_count_and_task_definition_with_describe_services() throws Exception {
    PriorState prior = executor().capture(action("scale", Map.of("replicas", "5")));

    assertThat(prior.state())
        .containsEntry("replicas", "3")
        .containsEntry("taskDefinition", TASKS + "checkout:7");
    assertThat(aws.ecsTargets).containsExactly(AwsFake.ECS_PREFIX + "DescribeServices");
    assertThat(aws.ecsBodies)
        .containsExactly(body("{\"cluster\":\"prod\",\"services\":[\"checkout\"]}"));
  }

  @Test
  void scale_sets_the_desired_count_waits_for_steady_state_and_restore_sets_it_back()
      throws Exception {
    Executor ecs = executor();
    PriorState prior = ecs.capture(action("scale", Map.of("delta", "+2")));

    ActionResult result = ecs.apply(action("scale", Map.of("delta", "+2")), "inc/1/1/execute");
    ecs.restore(prior, "inc/1/1/rollback");

    assertThat(result.summary()).isEqualTo("scaled aws-ecs:prod/checkout from 3 to 5 tasks");
    assertThat(updates())
        .containsExactly(
            body("{\"cluster\":\"prod\",\"service\":\"checkout\",\"desiredCount\":5}"),
            body(
                "{\"cluster\":\"prod\",\"service\":\"checkout\",\"desiredCount\":3,\"taskDefinition\":\""
                    + TASKS
                    + "checkout:7\"}"));
    assertThat(ecs.capture(action("scale", Map.of()))).isEqualTo(prior);
  }

  @Test
  void restart_forces_a_new_deployment_of_the_same_task_definition() throws Exception {
    ActionResult result = executor().apply(action("restart", Map.of()), "k");

    assertThat(result.summary()).isEqualTo("started a new deployment of aws-ecs:prod/checkout");
    assertThat(updates())
        .containsExactly(
            body("{\"cluster\":\"prod\",\"service\":\"checkout\",\"forceNewDeployment\":true}"));
    assertThat(aws.ecsTargets.getLast()).isEqualTo(AwsFake.ECS_PREFIX + "DescribeServices");
  }

  @Test
  void rollback_moves_to_the_previous_revision_of_the_family_and_restore_moves_forward_again()
      throws Exception {
    Executor ecs = executor();
    PriorState prior = ecs.capture(action("rollback", Map.of()));

    ActionResult result = ecs.apply(action("rollback", Map.of()), "k1");

    assertThat(result.summary()).isEqualTo("rolled aws-ecs:prod/checkout back from 7 to 6");
    int list = aws.ecsTargets.indexOf(AwsFake.ECS_PREFIX + "ListTaskDefinitions");
    assertThat(aws.ecsBodies.get(list))
        .isEqualTo(body("{\"familyPrefix\":\"checkout\",\"sort\":\"DESC\"}"));
    assertThat(updates())
        .containsExactly(
            body(
                "{\"cluster\":\"prod\",\"service\":\"checkout\",\"taskDefinition\":\""
                    + TASKS
                    + "checkout:6\"}"));
    ecs.restore(prior, "k2");
    assertThat(aws.services.get("checkout").get("taskDefinition").asText())
        .isEqualTo(TASKS + "checkout:7");
  }

  @Test
  void rollback_at_the_first_revision_fails_and_changes_nothing() {
    aws.services.get("checkout").put("taskDefinition", TASKS + "checkout:5");

    ActionResult result = executor().apply(action("rollback", Map.of()), "k");

    assertThat(result).isInstanceOf(ActionResult.Failed.class);
    assertThat(result.summary()).contains("no revision before 5");
    assertThat(updates()).isEmpty();
  }

  @Test
  void every_call_carries_the_request_id_of_the_work_making_it() throws Exception {
    executor().capture(action("scale", Map.of("replicas", "5")));
    try (RequestIds.Scope request = RequestIds.open("incident-inc-9-run-1")) {
      executor().apply(action("restart", Map.of()), "inc-9/1/1/execute");
    }

    // The capture ran outside any request's work; each call of the restart carries its id.
    assertThat(aws.requestIds.getFirst()).isEmpty();
    assertThat(aws.requestIds.subList(1, aws.requestIds.size()))
        .isNotEmpty()
        .containsOnly("incident-inc-9-run-1");
  }
}
