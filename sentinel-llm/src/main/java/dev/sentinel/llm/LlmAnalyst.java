package dev.sentinel.llm;

import dev.sentinel.analyse.Analysis;
import dev.sentinel.analyse.Analyst;
import dev.sentinel.analyse.CaseFile;
import java.util.List;

/**
 * Analyses with the provider chain and falls back to the rules when no provider gives a valid
 * answer within the budgets. The analysis says who made it and what it cost. Safe to call again
 * after a crash: it only reads, and the budget counts the repeated calls.
 */
public final class LlmAnalyst implements Analyst {

  private final ProviderChain chain;
  private final Analyst rules;
  private final List<String> knownCauses;

  public LlmAnalyst(ProviderChain chain, Analyst rules) {
    this(chain, rules, List.of());
  }

  /**
   * @param knownCauses the causes the playbook has plays for: the model is asked to use these names
   *     when one fits, so that the rule planner can still act on its analysis
   */
  public LlmAnalyst(ProviderChain chain, Analyst rules, List<String> knownCauses) {
    this.chain = chain;
    this.rules = rules;
    this.knownCauses = List.copyOf(knownCauses);
  }

  @Override
  public Analysis analyse(CaseFile file) {
    ProviderChain.Outcome<Analysis> outcome =
        chain.ask(
            file,
            "incident analyst",
            AnalysisReader.FORMAT,
            Prompts.analysisTask(file, knownCauses),
            AnalysisReader::new);
    if (outcome.answered()) {
      Analysis analysis = outcome.value();
      return new Analysis(
          analysis.summary() + " [" + outcome.costNote() + "]",
          analysis.hypotheses(),
          analysis.firstMover(),
          analysis.analyst());
    }
    Analysis fallback = rules.analyse(file);
    return new Analysis(
        fallback.summary() + " [LLM not used: " + String.join("; ", outcome.failures()) + "]",
        fallback.hypotheses(),
        fallback.firstMover(),
        fallback.analyst());
  }
}
