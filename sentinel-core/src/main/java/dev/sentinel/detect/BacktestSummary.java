package dev.sentinel.detect;

/**
 * What a backtest did.
 *
 * @param rows data rows read and written (the header not counted)
 * @param missing rows whose value was empty or not finite: written with score 0, not detected on
 * @param anomalies rows flagged anomalous
 */
public record BacktestSummary(long rows, long missing, long anomalies) {}
