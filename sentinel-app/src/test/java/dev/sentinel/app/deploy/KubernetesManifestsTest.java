package dev.sentinel.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sentinel.app.config.ConfigLoader;
import dev.sentinel.app.config.SentinelConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleSpec;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overlays of {@code deploy/kubernetes}, rendered by {@code kubectl kustomize} as a user would,
 * read object by object into fabric8's typed model with any unknown field failing, then held to
 * what Sentinel serves and reads: the image this build makes, probe and scrape paths that
 * Sentinel's API document ({@code openapi.json}, held to the registered routes by
 * OpenApiDocumentTest) lists as open, the port the loaded configuration listens on, and a
 * configuration (the ConfigMap's file and the container's environment) that Sentinel's own loader
 * accepts.
 */
class KubernetesManifestsTest {

  private static final Path KUBERNETES = Path.of("..", "deploy", "kubernetes");

  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.ofEntries(
          Map.entry("Namespace", Namespace.class),
          Map.entry("ServiceAccount", ServiceAccount.class),
          Map.entry("Role", Role.class),
          Map.entry("RoleBinding", RoleBinding.class),
          Map.entry("ClusterRole", ClusterRole.class),
          Map.entry("ClusterRoleBinding", ClusterRoleBinding.class),
          Map.entry("ConfigMap", ConfigMap.class),
          Map.entry("Deployment", Deployment.class),
          Map.entry("Service", Service.class),
          Map.entry("PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("NetworkPolicy", NetworkPolicy.class),
          Map.entry("PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("CronJob", CronJob.class),
          Map.entry("ServiceMonitor", ServiceMonitor.class),
          Map.entry("PrometheusRule", PrometheusRule.class));

  /**
   * fabric8's classes keep unknown fields in an any-setter map; without it, Jackson's own check
   * makes a misspelt or misplaced field fail.
   */
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .setAnnotationIntrospector(
              new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                  return false;
                }
              })
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final ObjectMapper YAML = new YAMLMapper();

  @TempDir Path dir;

  private record Rendered(List<HasMetadata> objects) {
    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      assertThat(found).as(type.getSimpleName()).hasSize(1);
      return found.getFirst();
    }
  }

  private static Rendered render(String overlay) throws Exception {
    Process kustomize =
        new ProcessBuilder(
                kubectl(), "kustomize", KUBERNETES.resolve("overlays").resolve(overlay).toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String yaml = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kustomize.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(kustomize.exitValue()).as("kubectl kustomize " + overlay).isZero();
    List<HasMetadata> objects = new ArrayList<>();
    try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        String kind = document.path("kind").asText();
        assertThat(KINDS).as("a kind this test knows").containsKey(kind);
        objects.add(STRICT.treeToValue(document, KINDS.get(kind)));
      }
    }
    return new Rendered(objects);
  }

  private static String kubectl() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError("no kubectl on the PATH (it renders the overlays: kubectl kustomize)");
  }

  @Test
  void a_misspelt_field_fails_the_typed_reading() throws Exception {
    JsonNode wrong =
        YAML.readTree(
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selectr: {a: b}}\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> STRICT.treeToValue(wrong, Service.class))
        .hasMessageContaining("selectr");
  }

  @Test
  void the_embedded_overlay_runs_one_instance_on_a_claimed_volume() throws Exception {
    Rendered rendered = render("embedded");
    Deployment deployment = commonChecks(rendered);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    Volume data = volume(deployment, "data");
    assertThat(data.getEmptyDir()).isNull();
    assertThat(data.getPersistentVolumeClaim().getClaimName())
        .isEqualTo(rendered.one(PersistentVolumeClaim.class).getMetadata().getName());

    SentinelConfig config = loadedConfig(rendered, deployment);
    assertThat(config.bus().kind()).isEqualTo("inprocess");
    assertThat(config.state().url()).isEmpty();
  }

  @Test
  void the_scale_out_overlay_runs_replicas_against_external_stores_it_may_reach() throws Exception {
    Rendered rendered = render("scale-out");
    Deployment deployment = commonChecks(rendered);
    assertThat(deployment.getSpec().getReplicas()).isGreaterThan(1);
    assertThat(rendered.one(PodDisruptionBudget.class).getSpec().getMinAvailable().getIntVal())
        .isLessThan(deployment.getSpec().getReplicas());

    SentinelConfig config = loadedConfig(rendered, deployment);
    assertThat(config.bus().kind()).isEqualTo("kafka");
    assertThat(config.telemetry().store()).isEqualTo("clickhouse");
    assertThat(config.state().url()).startsWith("jdbc:postgresql://");
    Map<String, EnvVar> env = env(container(deployment));
    for (String secret :
        List.of("SENTINEL_STATE_PASSWORD", "SENTINEL_AUDIT_KEY", "SENTINEL_API_KEY_PEPPER")) {
      assertThat(env.get(secret).getValueFrom().getSecretKeyRef().getName())
          .as(secret)
          .isEqualTo("sentinel-secrets");
    }

    // Every store the configuration names has a port the NetworkPolicies let Sentinel reach.
    Set<Integer> egress =
        rendered.all(NetworkPolicy.class).stream()
            .flatMap(policy -> policy.getSpec().getEgress().stream())
            .flatMap(rule -> rule.getPorts().stream())
            .map(NetworkPolicyPort::getPort)
            .filter(port -> port.getIntVal() != null)
            .map(port -> port.getIntVal())
            .collect(Collectors.toSet());
    int postgres = URI.create(config.state().url().substring("jdbc:".length())).getPort();
    int clickhouse = URI.create(config.telemetry().clickhouse().url()).getPort();
    Set<Integer> kafka =
        List.of(config.bus().kafka().bootstrap().split(",")).stream()
            .map(server -> Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)))
            .collect(Collectors.toSet());
    assertThat(egress).contains(postgres, clickhouse, 53, 443).containsAll(kafka);
  }

  /** What both overlays must have; returns the Deployment. */
  private Deployment commonChecks(Rendered rendered) throws Exception {
    Deployment deployment = rendered.one(Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = container(deployment);

    assertThat(container.getImage())
        .isEqualTo("localhost/sentinel:" + System.getProperty("sentinel.expectedVersion"));
    assertThat(pod.getEnableServiceLinks()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");

    // The ServiceAccount is the one the RBAC binds.
    String account = rendered.one(ServiceAccount.class).getMetadata().getName();
    assertThat(pod.getServiceAccountName()).isEqualTo(account);
    assertThat(rendered.one(RoleBinding.class).getSubjects())
        .anyMatch(subject -> subject.getName().equals(account));

    // Probes and the scrape on the container's port, at paths Sentinel serves without a key.
    ContainerPort http = container.getPorts().getFirst();
    assertThat(http.getName()).isEqualTo("http");
    JsonNode api =
        new ObjectMapper()
            .readTree(KubernetesManifestsTest.class.getResourceAsStream("/openapi.json"));
    for (Probe probe :
        List.of(
            container.getStartupProbe(),
            container.getLivenessProbe(),
            container.getReadinessProbe())) {
      assertOpenRoute(api, probe.getHttpGet().getPath());
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    ServiceMonitor monitor = rendered.one(ServiceMonitor.class);
    assertOpenRoute(api, monitor.getSpec().getEndpoints().getFirst().getPath());
    assertThat(monitor.getSpec().getEndpoints().getFirst().getPort()).isEqualTo("http");
    Service service = rendered.one(Service.class);
    assertThat(service.getSpec().getPorts().getFirst().getTargetPort().getStrVal())
        .isEqualTo("http");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(loadedConfig(rendered, deployment).server().port())
        .isEqualTo(http.getContainerPort());

    // The alerting rules are deploy/prometheus/sentinel-rules.yml's, read through the same type.
    JsonNode rules =
        YAML.readTree(Path.of("..", "deploy", "prometheus", "sentinel-rules.yml").toFile());
    PrometheusRuleSpec fromFile =
        STRICT.treeToValue(
            YAML.createObjectNode().set("groups", rules.get("groups")), PrometheusRuleSpec.class);
    PrometheusRuleSpec inCluster = rendered.one(PrometheusRule.class).getSpec();
    assertThat(fromFile.getGroups().getFirst().getRules()).hasSizeGreaterThan(10);
    JsonNode expected = STRICT.valueToTree(fromFile);
    JsonNode actual = STRICT.valueToTree(inCluster);
    assertThat(actual).isEqualTo(expected);
    assertThat(rendered.one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    NetworkPolicy policy =
        rendered.all(NetworkPolicy.class).stream()
            .filter(p -> p.getMetadata().getName().equals("sentinel"))
            .findFirst()
            .orElseThrow();
    assertThat(policy.getSpec().getIngress().getFirst().getPorts().getFirst().getPort().getStrVal())
        .isEqualTo("http");
    return deployment;
  }

  @Test
  void the_scale_out_overlay_dumps_the_external_state_store_nightly_to_a_volume() throws Exception {
    Rendered rendered = render("scale-out");
    SentinelConfig config = loadedConfig(rendered, commonChecks(rendered));
    CronJob cron = rendered.one(CronJob.class);
    assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    PodSpec pod = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    Container dump = pod.getContainers().getFirst();
    assertThat(String.join(" ", dump.getArgs())).contains("pg_dump --format=custom");

    // It dumps the database Sentinel uses, as Sentinel's user, with Sentinel's password.
    URI state = URI.create(config.state().url().substring("jdbc:".length()));
    Map<String, EnvVar> env = env(dump);
    assertThat(env.get("PGHOST").getValue()).isEqualTo(state.getHost());
    assertThat(env.get("PGPORT").getValue()).isEqualTo(Integer.toString(state.getPort()));
    assertThat(env.get("PGDATABASE").getValue()).isEqualTo(state.getPath().substring(1));
    assertThat(env.get("PGUSER").getValue()).isEqualTo(config.state().user());
    EnvVar password = env(container(commonChecks(rendered))).get("SENTINEL_STATE_PASSWORD");
    assertThat(env.get("PGPASSWORD").getValueFrom().getSecretKeyRef())
        .isEqualTo(password.getValueFrom().getSecretKeyRef());

    // Onto the claimed volume, as a non-root user on a read-only root filesystem.
    String claim =
        pod.getVolumes().stream()
            .filter(volume -> volume.getName().equals(volumeMount(dump, "backups").getName()))
            .findFirst()
            .orElseThrow()
            .getPersistentVolumeClaim()
            .getClaimName();
    assertThat(rendered.all(PersistentVolumeClaim.class))
        .extracting(pvc -> pvc.getMetadata().getName())
        .contains(claim);
    assertThat(String.join(" ", dump.getArgs()))
        .contains(volumeMount(dump, "backups").getMountPath() + "/");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(dump.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(dump.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getEnableServiceLinks()).isFalse();

    // Its pods' NetworkPolicy lets them reach PostgreSQL's port and nothing but DNS besides.
    NetworkPolicy policy =
        rendered.all(NetworkPolicy.class).stream()
            .filter(
                p ->
                    cron.getSpec()
                        .getJobTemplate()
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels()
                        .entrySet()
                        .containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no NetworkPolicy selects the backup pods"));
    assertThat(policy.getSpec().getIngress()).isEmpty();
    assertThat(
            policy.getSpec().getEgress().stream()
                .flatMap(rule -> rule.getPorts().stream())
                .map(port -> port.getPort().getIntVal())
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(53, state.getPort());
  }

  private static void assertOpenRoute(JsonNode api, String path) {
    JsonNode get = api.path("paths").path(path).path("get");
    assertThat(get.isObject()).as(path + " is one of Sentinel's routes").isTrue();
    assertThat(get.path("security").isArray() && get.path("security").isEmpty())
        .as(path + " is served without a key")
        .isTrue();
  }

  /**
   * The configuration Sentinel would load in the pod: the ConfigMap's file at the path {@code
   * SENTINEL_CONFIG} names, and the container's environment (secrets as stand-in values).
   */
  private SentinelConfig loadedConfig(Rendered rendered, Deployment deployment) throws Exception {
    Container container = container(deployment);
    Map<String, EnvVar> env = env(container);
    Path configPath = Path.of(env.get("SENTINEL_CONFIG").getValue());
    VolumeMount mount =
        container.getVolumeMounts().stream()
            .filter(m -> configPath.startsWith(m.getMountPath()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume holds " + configPath));
    String configMapName = volume(deployment, mount.getName()).getConfigMap().getName();
    ConfigMap configMap =
        rendered.all(ConfigMap.class).stream()
            .filter(map -> map.getMetadata().getName().equals(configMapName))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no ConfigMap " + configMapName));
    String fileName = Path.of(mount.getMountPath()).relativize(configPath).toString();
    assertThat(configMap.getData()).containsKey(fileName);
    Path file = dir.resolve(fileName);
    Files.writeString(file, configMap.getData().get(fileName));

    Map<String, String> environment = new HashMap<>();
    env.forEach(
        (name, variable) ->
            environment.put(
                name, variable.getValue() != null ? variable.getValue() : "s".repeat(40)));
    environment.remove("SENTINEL_CONFIG");
    SentinelConfig config = new ConfigLoader().load(file, environment);
    // The data and runtime directories are on the writable volume, not the read-only root.
    String writable = volumeMount(container, "data").getMountPath();
    assertThat(config.dataDir()).startsWith(writable + "/");
    assertThat(env.get("SENTINEL_RUNTIME_DIR").getValue()).startsWith(writable + "/");
    return config;
  }

  private static Container container(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.getFirst();
  }

  private static Map<String, EnvVar> env(Container container) {
    return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  private static Volume volume(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(volume -> volume.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static VolumeMount volumeMount(Container container, String name) {
    return container.getVolumeMounts().stream()
        .filter(mount -> mount.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume mount " + name));
  }
}
