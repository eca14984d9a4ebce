package dev.sentinel.llm;

import dev.sentinel.analyse.Analysis;
import dev.sentinel.analyse.CaseFile;
import dev.sentinel.plan.Plan;
import dev.sentinel.plan.Planner;
import dev.sentinel.plan.Target;

/**
 * Plans with the provider chain within the caller's {@link ActionPolicy}, falling back to the rule
 * planner. It returns an ordinary {@link Plan}: the approval policy and guard judge its steps as
 * they judge the rules' steps, and nothing the model wrote is executed except through them.
 */
public final class LlmPlanner implements Planner {

  private final ProviderChain chain;
  private final Planner rules;
  private final ActionPolicy policy;
  private final Estimates estimates;

  /**
   * @param estimates floors under the model's downtime and blast-radius estimates, so that it
   *     cannot lower a step's risk below what the playbook knows
   */
  public LlmPlanner(ProviderChain chain, Planner rules, ActionPolicy policy, Estimates estimates) {
    this.chain = chain;
    this.rules = rules;
    this.policy = policy;
    this.estimates = estimates;
  }

  /** The rules know how the platform names a service's resource (kind, namespace). */
  @Override
  public Target target(String platform, String service) {
    return rules.target(platform, service);
  }

  @Override
  public Plan plan(CaseFile file, Analysis analysis) {
    ProviderChain.Outcome<Plan> outcome =
        chain.ask(
            file,
            "remediation planner",
            PlanReader.FORMAT,
            Prompts.planTask(file, analysis, policy),
            label -> new PlanReader(policy, estimates, label));
    if (outcome.answered()) {
      Plan plan = outcome.value();
      return new Plan(plan.steps(), plan.summary() + " [" + outcome.costNote() + "]");
    }
    Plan fallback = rules.plan(file, analysis);
    return new Plan(
        fallback.steps(),
        fallback.summary() + " [LLM not used: " + String.join("; ", outcome.failures()) + "]");
  }
}
