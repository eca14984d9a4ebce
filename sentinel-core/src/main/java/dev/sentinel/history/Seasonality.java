package dev.sentinel.history;

/** Which earlier days a baseline compares with. */
public enum Seasonality {
  /** The same weekday: 7, 14, 21 … days before. */
  WEEKLY(7),
  /** Every day: 1, 2, 3 … days before. */
  DAILY(1);

  private final int periodDays;

  Seasonality(int periodDays) {
    this.periodDays = periodDays;
  }

  public int periodDays() {
    return periodDays;
  }
}
