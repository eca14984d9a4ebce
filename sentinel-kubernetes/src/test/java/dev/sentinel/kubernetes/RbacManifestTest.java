package dev.sentinel.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes/base/rbac.yaml parses and grants what the executor uses, and nothing broader.
 */
class RbacManifestTest {

  private static List<HasMetadata> manifest() throws IOException {
    Path file = Path.of("..", "deploy", "kubernetes", "base", "rbac.yaml");
    try (InputStream in = Files.newInputStream(file)) {
      Object parsed = new KubernetesSerialization().unmarshal(in);
      @SuppressWarnings("unchecked")
      List<HasMetadata> items =
          parsed instanceof List<?> list ? (List<HasMetadata>) list : List.of((HasMetadata) parsed);
      return items;
    }
  }

  private static List<String> grants(List<PolicyRule> rules) {
    return rules.stream()
        .flatMap(
            rule ->
                rule.getResources().stream()
                    .flatMap(
                        resource -> rule.getVerbs().stream().map(verb -> resource + ":" + verb)))
        .toList();
  }

  @Test
  void the_role_grants_exactly_what_the_operations_need() throws IOException {
    Role role =
        manifest().stream()
            .filter(Role.class::isInstance)
            .map(Role.class::cast)
            .findFirst()
            .orElseThrow();

    assertThat(grants(role.getRules()))
        .containsExactlyInAnyOrder(
            "deployments:get",
            "deployments:list",
            "deployments:watch",
            "deployments:patch",
            "statefulsets:get",
            "statefulsets:list",
            "statefulsets:watch",
            "statefulsets:patch",
            "replicasets:get",
            "replicasets:list",
            "pods:get",
            "pods:list",
            "pods:delete");
  }

  @Test
  void the_cluster_role_only_reads_and_cordons_nodes() throws IOException {
    ClusterRole role =
        manifest().stream()
            .filter(ClusterRole.class::isInstance)
            .map(ClusterRole.class::cast)
            .findFirst()
            .orElseThrow();

    assertThat(grants(role.getRules())).containsExactlyInAnyOrder("nodes:get", "nodes:patch");
    assertThat(manifest())
        .extracting(HasMetadata::getKind)
        .containsExactlyInAnyOrder(
            "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");
  }
}
