package dev.sentinel.plan;

import dev.sentinel.analyse.Analysis;
import dev.sentinel.analyse.CaseFile;

/** Proposes a remediation plan for an analysed incident. Safe to call again after a crash. */
public interface Planner {
  Plan plan(CaseFile file, Analysis analysis);

  /**
   * The target a plan for this service would act on, so analysis can describe it (replicas,
   * version) before planning.
   */
  default Target target(String platform, String service) {
    return new Target(platform, "", service);
  }
}
