package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.config.ExecutorsConfig;
import dev.sentinel.execute.Executor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformExecutorsTest {

  @TempDir Path dir;

  @Test
  void no_real_platform_is_wired_unless_enabled() {
    StopOrder closers = new StopOrder();

    assertThat(PlatformExecutors.build(ExecutorsConfig.defaults(), closers)).isEmpty();
    assertThat(closers.isEmpty()).isTrue();
  }

  @Test
  void enabled_platforms_get_their_executors_and_their_clients_are_closed_with_sentinel()
      throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: test, cluster: {server: "https://127.0.0.1:6443"}}]
        users: [{name: sentinel, user: {token: abc}}]
        contexts: [{name: test, context: {cluster: test, user: sentinel, namespace: prod}}]
        current-context: test
        """);
    StopOrder closers = new StopOrder();

    List<Executor> executors =
        PlatformExecutors.build(
            new ExecutorsConfig(
                new ExecutorsConfig.Kubernetes(true, kubeconfig.toString(), "test", 60),
                new ExecutorsConfig.Aws(true, "eu-west-1", "http://127.0.0.1:1", 30)),
            closers);

    assertThat(executors)
        .extracting(Executor::platform)
        .containsExactly("kubernetes", "aws-ec2", "aws-ecs");
    assertThat(closers.size()).isEqualTo(3);
    assertThat(closers.stop()).isZero();
  }
}
