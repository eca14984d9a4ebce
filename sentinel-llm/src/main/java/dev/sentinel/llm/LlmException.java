package dev.sentinel.llm;

/** Why a provider could not produce a usable answer; the chain then moves on. */
public class LlmException extends RuntimeException {

  public LlmException(String message) {
    super(message);
  }

  public LlmException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The model's final answer did not validate, even after it was told why. */
  public static final class InvalidAnswer extends LlmException {
    public InvalidAnswer(String message) {
      super(message);
    }
  }

  /** The incident's or the day's budget is spent. */
  public static final class BudgetSpent extends LlmException {
    public BudgetSpent(String message) {
      super(message);
    }
  }
}
