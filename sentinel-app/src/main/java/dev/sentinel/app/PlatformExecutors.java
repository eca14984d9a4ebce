package dev.sentinel.app;

import dev.sentinel.app.config.ExecutorsConfig;
import dev.sentinel.aws.AwsClients;
import dev.sentinel.aws.Ec2Executor;
import dev.sentinel.aws.EcsExecutor;
import dev.sentinel.execute.Executor;
import dev.sentinel.kubernetes.KubernetesClients;
import dev.sentinel.kubernetes.KubernetesExecutor;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The executors of the real platforms that {@code remediation.executors} enables. Their clients
 * connect lazily (first call), so a start never waits for a cluster or AWS; they are closed with
 * Sentinel.
 */
final class PlatformExecutors {

  private PlatformExecutors() {}

  static List<Executor> build(ExecutorsConfig config, StopOrder stops) {
    List<Executor> executors = new ArrayList<>();
    if (config.kubernetes().enabled()) {
      KubernetesClient client =
          KubernetesClients.connect(
              config.kubernetes().kubeconfig(), config.kubernetes().context());
      stops.add(client);
      executors.add(
          new KubernetesExecutor(
              client, Duration.ofSeconds(config.kubernetes().rolloutTimeoutSeconds())));
    }
    if (config.aws().enabled()) {
      Duration wait = Duration.ofSeconds(config.aws().waitSeconds());
      Ec2Client ec2 = AwsClients.ec2(config.aws().region(), config.aws().endpoint());
      stops.add(ec2);
      executors.add(new Ec2Executor(ec2, config.aws().region(), wait));
      EcsClient ecs = AwsClients.ecs(config.aws().region(), config.aws().endpoint());
      stops.add(ecs);
      executors.add(new EcsExecutor(ecs, wait));
    }
    return executors;
  }
}
