package dev.sentinel.app.config;

import dev.sentinel.approve.ApprovalConfig;
import dev.sentinel.execute.SafetyConfig;
import dev.sentinel.plan.Playbook;
import dev.sentinel.verify.VerifyConfig;
import dev.sentinel.workflow.WorkflowConfig;
import java.util.Objects;

/**
 * How Sentinel remediates incidents.
 *
 * @param enabled whether incidents are worked by the workflow at all (off: detect and group only)
 * @param platform the executor platform remediation targets ({@code simulator} in the demo)
 * @param scope the namespace, region or cluster of the targets, when the platform has one
 * @param playbook what to do for each known cause
 * @param approval when Sentinel may act without a human
 * @param verify how recovery is judged
 * @param workflow the workflow's limits
 * @param safety dry-run, allow lists and limits every action passes (docs/executors.md)
 * @param executors the real platforms (Kubernetes, AWS) and how to reach them
 * @param resource how a plan names its target from the incident's service: {@code {service}} for
 *     the simulator, e.g. {@code deployment/{service}} for Kubernetes
 */
public record RemediationConfig(
    boolean enabled,
    String platform,
    String scope,
    Playbook playbook,
    ApprovalConfig approval,
    VerifyConfig verify,
    WorkflowConfig workflow,
    SafetyConfig safety,
    ExecutorsConfig executors,
    String resource) {

  /** The platforms an allow list may name: the executors Sentinel ships. */
  static final java.util.Set<String> PLATFORMS =
      java.util.Set.of("simulator", "kubernetes", "aws-ec2", "aws-ecs");

  public RemediationConfig {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(playbook, "playbook");
    Objects.requireNonNull(approval, "approval");
    Objects.requireNonNull(verify, "verify");
    Objects.requireNonNull(workflow, "workflow");
    scope = scope == null ? "" : scope;
    Objects.requireNonNull(safety, "safety");
    Objects.requireNonNull(executors, "executors");
    resource = resource == null || resource.isBlank() ? "{service}" : resource;
    if (!resource.contains("{service}")) {
      throw new IllegalArgumentException(
          "resource must contain {service}, e.g. deployment/{service}; was '" + resource + "'");
    }
    if (platform.equals("kubernetes") && !executors.kubernetes().enabled()) {
      throw new IllegalArgumentException(
          "platform is kubernetes but executors.kubernetes.enabled is false");
    }
    if (platform.startsWith("aws-") && !executors.aws().enabled()) {
      throw new IllegalArgumentException(
          "platform is " + platform + " but executors.aws.enabled is false");
    }
    if (platform.isBlank()) {
      throw new IllegalArgumentException("platform must not be blank");
    }
    for (String named : safety.allow().keySet()) {
      if (!PLATFORMS.contains(named)) {
        throw new IllegalArgumentException(
            "safety.allow names the unknown platform '"
                + named
                + "'; known platforms: "
                + String.join(", ", new java.util.TreeSet<>(PLATFORMS)));
      }
    }
  }

  public static RemediationConfig defaults() {
    return new RemediationConfig(
        true,
        "simulator",
        "",
        Playbook.defaults(),
        ApprovalConfig.defaults(),
        new VerifyConfig(45, 3, 8, 1.5),
        WorkflowConfig.defaults(),
        // Every platform is listed so a file can fill its allow list; only the simulator's is open.
        new SafetyConfig(
            null,
            java.util.Map.of(
                "simulator", java.util.List.of("**"),
                "kubernetes", java.util.List.of(),
                "aws-ec2", java.util.List.of(),
                "aws-ecs", java.util.List.of()),
            dev.sentinel.execute.ActionLimits.defaults()),
        ExecutorsConfig.defaults(),
        "{service}");
  }
}
