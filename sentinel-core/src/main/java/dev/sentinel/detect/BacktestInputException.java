package dev.sentinel.detect;

/** A backtest input that cannot be read: names the line (1 = the header) and the problem. */
public final class BacktestInputException extends RuntimeException {

  private final long line;

  public BacktestInputException(long line, String problem) {
    super("line " + line + ": " + problem);
    this.line = line;
  }

  /** The 1-based line number of the bad input; the header is line 1. */
  public long line() {
    return line;
  }
}
