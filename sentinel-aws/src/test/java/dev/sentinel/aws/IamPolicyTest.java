package dev.sentinel.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/aws/iam-policy.json grants the calls the executors make, and nothing else. */
class IamPolicyTest {

  @Test
  void the_policy_allows_exactly_the_calls_the_executors_make() throws Exception {
    JsonNode policy =
        new ObjectMapper().readTree(Path.of("..", "deploy", "aws", "iam-policy.json").toFile());
    List<String> actions = new ArrayList<>();
    List<String> unscoped = new ArrayList<>();
    for (JsonNode statement : policy.get("Statement")) {
      assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
      for (JsonNode action : statement.get("Action")) {
        actions.add(action.asText());
        if (statement.get("Resource").asText().equals("*")) {
          unscoped.add(action.asText());
        }
      }
    }

    assertThat(actions)
        .containsExactlyInAnyOrder(
            "ec2:DescribeInstances",
            "ec2:RebootInstances",
            "ec2:StopInstances",
            "ec2:StartInstances",
            "ecs:DescribeServices",
            "ecs:UpdateService",
            "ecs:ListTaskDefinitions");
    // Only the read calls that AWS cannot scope to a resource are granted on every resource.
    assertThat(unscoped)
        .containsExactlyInAnyOrder("ec2:DescribeInstances", "ecs:ListTaskDefinitions");
  }
}
