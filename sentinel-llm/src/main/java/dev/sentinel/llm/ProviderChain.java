package dev.sentinel.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.sentinel.analyse.CaseFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers in their configured order: a task goes to the first, and to the next when one times
 * out, fails or answers invalidly. When all have failed, or a budget is spent, the caller falls
 * back to its rules. Thread-safe: each task gets its own {@link Conversation}.
 */
public final class ProviderChain {

  private static final Logger log = LoggerFactory.getLogger(ProviderChain.class);

  private final List<ProviderSettings> providers;
  private final List<ChatModel> models;
  private final Toolbox toolbox;
  private final Spending spending;
  private final int maxSteps;

  public ProviderChain(LlmSettings settings, Toolbox toolbox, Spending spending) {
    this.providers = settings.providers();
    this.models = providers.stream().map(ProviderSettings::connect).toList();
    this.toolbox = toolbox;
    this.spending = spending;
    this.maxSteps = settings.maxSteps();
  }

  /** A task's result: the value, or why no provider produced one. */
  public record Outcome<T>(T value, String provider, Spending.Tally tally, List<String> failures) {
    public boolean answered() {
      return value != null;
    }

    /** E.g. {@code groq: 3 calls, 1200 in / 300 out tokens, ~$0.000900}. */
    public String costNote() {
      return String.format(
          Locale.ROOT,
          "%s: %d calls, %d in / %d out tokens, ~$%.6f",
          provider,
          tally.calls(),
          tally.inputTokens(),
          tally.outputTokens(),
          tally.costUsd());
    }
  }

  /**
   * Works one task down the chain.
   *
   * @param role e.g. {@code analyst}, for the system prompt
   * @param reader makes the reader for a provider's label (which the result then names)
   */
  public <T> Outcome<T> ask(
      CaseFile file,
      String role,
      String format,
      String task,
      Function<String, AnswerReader<T>> reader) {
    List<String> failures = new ArrayList<>();
    Spending.Tally spent = Spending.Tally.NONE;
    String incidentId = file.incident().id();
    for (int i = 0; i < providers.size(); i++) {
      ProviderSettings provider = providers.get(i);
      String budget = spending.refusal(incidentId);
      if (budget != null) {
        failures.add(budget);
        spending.failure(provider.name(), "budget");
        break;
      }
      Conversation conversation =
          new Conversation(provider, models.get(i), toolbox, spending, maxSteps);
      String label = "llm:" + provider.name() + "/" + provider.model();
      try {
        T value = conversation.run(file, Prompts.system(role, format), task, reader.apply(label));
        Outcome<T> outcome =
            new Outcome<>(value, label, sum(spent, conversation.tally()), failures);
        spending.task(role.replace(' ', '-'), true, outcome.tally());
        return outcome;
      } catch (LlmException e) {
        spent = sum(spent, conversation.tally());
        String reason = e instanceof LlmException.InvalidAnswer ? "invalid" : "failed";
        spending.failure(
            provider.name(), e instanceof LlmException.BudgetSpent ? "budget" : reason);
        failures.add(provider.name() + ": " + e.getMessage());
        log.warn(
            "incident {}: {} {} for the {}: {}",
            incidentId,
            provider.name(),
            reason,
            role,
            e.getMessage());
        if (e instanceof LlmException.BudgetSpent) {
          break;
        }
      }
    }
    spending.task(role.replace(' ', '-'), false, spent);
    return new Outcome<>(null, "rules", spent, failures);
  }

  private static Spending.Tally sum(Spending.Tally a, Spending.Tally b) {
    return new Spending.Tally(
        a.calls() + b.calls(),
        a.inputTokens() + b.inputTokens(),
        a.outputTokens() + b.outputTokens(),
        a.costUsd() + b.costUsd());
  }
}
