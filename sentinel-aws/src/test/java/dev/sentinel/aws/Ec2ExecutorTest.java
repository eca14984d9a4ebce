package dev.sentinel.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.Target;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** The EC2 executor against a local fake of the EC2 Query API; asserts the exact requests. */
class Ec2ExecutorTest {

  private static final String ID = "i-0abc1234def567890";

  private AwsFake aws;
  private Ec2Client client;
  private Ec2Executor ec2;

  @BeforeEach
  void start() throws Exception {
    aws = new AwsFake();
    aws.instances.put(ID, "running");
    client =
        AwsClients.ec2(
            "eu-west-1",
            aws.endpoint().toString(),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));
    ec2 =
        new Ec2Executor(
            client, "eu-west-1", new Polling(Duration.ofSeconds(5), Duration.ofMillis(1)));
  }

  @AfterEach
  void stop() {
    client.close();
    aws.close();
  }

  private static Action action(String operation) {
    return new Action(new Target("aws-ec2", "eu-west-1", ID), operation, Map.of());
  }

  private static Map<String, String> call(String action) {
    return Map.of("Action", action, "Version", "2016-11-15", "InstanceId.1", ID);
  }

  @Test
  void only_a_reboot_is_unsafe_to_repeat_after_a_restart() {
    assertThat(ec2.safeToRepeat(action("reboot"))).isFalse();
    assertThat(ec2.safeToRepeat(action("stop"))).isTrue();
    assertThat(ec2.safeToRepeat(action("start"))).isTrue();
  }

  @Test
  void capture_reads_the_instance_state_with_describe_instances() {
    PriorState prior = ec2.capture(action("reboot"));

    assertThat(prior.state()).containsExactly(Map.entry("state", "running"));
    assertThat(aws.ec2Requests).containsExactly(call("DescribeInstances"));
  }

  @Test
  void reboot_sends_reboot_instances_and_needs_no_restore() {
    PriorState prior = ec2.capture(action("reboot"));

    ActionResult result = ec2.apply(action("reboot"), "inc/1/1/execute");
    ActionResult restored = ec2.restore(prior, "inc/1/1/rollback");

    assertThat(result.summary()).isEqualTo("rebooted " + ID);
    assertThat(aws.ec2Requests).contains(call("RebootInstances"));
    assertThat(restored.summary()).contains("is running as before: nothing to restore");
    assertThat(aws.ec2Requests)
        .filteredOn(r -> !r.get("Action").equals("DescribeInstances"))
        .containsExactly(call("RebootInstances"));
  }

  @Test
  void stop_waits_until_stopped_and_restore_starts_it_again_until_running() {
    PriorState prior = ec2.capture(action("stop"));

    ActionResult stopped = ec2.apply(action("stop"), "inc/1/1/execute");

    assertThat(stopped).isInstanceOf(ActionResult.Applied.class);
    assertThat(stopped.summary()).isEqualTo("stopped " + ID);
    assertThat(aws.instances).containsEntry(ID, "stopped");
    ActionResult restored = ec2.restore(prior, "inc/1/1/rollback");
    assertThat(restored.summary()).isEqualTo("started " + ID);
    assertThat(aws.instances).containsEntry(ID, "running");
    assertThat(ec2.capture(action("stop"))).isEqualTo(prior);
    assertThat(aws.ec2Requests)
        .filteredOn(r -> !r.get("Action").equals("DescribeInstances"))
        .containsExactly(call("StopInstances"), call("StartInstances"));
  }

  @Test
  void start_and_its_restore_mirror_stop() {
    aws.instances.put(ID, "stopped");
    PriorState prior = ec2.capture(action("start"));

    assertThat(ec2.apply(action("start"), "k1").summary()).isEqualTo("started " + ID);
    assertThat(ec2.restore(prior, "k2").summary()).isEqualTo("stopped " + ID);
    assertThat(aws.instances).containsEntry(ID, "stopped");
  }

  @Test
  void a_repeated_key_gets_the_first_answer_without_a_second_request() {
    ActionResult first = ec2.apply(action("reboot"), "k");
    int requests = aws.ec2Requests.size();

    assertThat(ec2.apply(action("reboot"), "k")).isEqualTo(first);
    assertThat(aws.ec2Requests).hasSize(requests);
  }

  @Test
  void an_unknown_instance_fails_with_ec2s_reason() {
    ActionResult result =
        ec2.apply(
            new Action(new Target("aws-ec2", "eu-west-1", "i-missing"), "stop", Map.of()), "k");

    assertThat(result).isInstanceOf(ActionResult.Failed.class);
    assertThat(result.summary()).contains("i-missing").contains("does not exist");
  }

  @Test
  void an_instance_in_another_region_is_not_touched() {
    ActionResult result =
        ec2.apply(new Action(new Target("aws-ec2", "us-east-1", ID), "stop", Map.of()), "k");

    assertThat(result.summary())
        .contains("in region us-east-1 but this executor acts in eu-west-1");
    assertThat(aws.ec2Requests).isEmpty();
  }
}
