package dev.sentinel.app.config;

import dev.sentinel.approve.ApprovalConfig;
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
 */
public record RemediationConfig(
    boolean enabled,
    String platform,
    String scope,
    Playbook playbook,
    ApprovalConfig approval,
    VerifyConfig verify,
    WorkflowConfig workflow) {

  public RemediationConfig {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(playbook, "playbook");
    Objects.requireNonNull(approval, "approval");
    Objects.requireNonNull(verify, "verify");
    Objects.requireNonNull(workflow, "workflow");
    scope = scope == null ? "" : scope;
    if (platform.isBlank()) {
      throw new IllegalArgumentException("platform must not be blank");
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
        WorkflowConfig.defaults());
  }
}
