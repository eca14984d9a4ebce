package dev.sentinel.detect;

/**
 * What a backtest did.
 *
 * @param rows data rows read and written (the header not counted)
 * @param missing rows whose value was empty or not finite: written with score 0, not detected on
 * @param anomalies rows flagged anomalous
 * @param sequenceStepMillis when the timestamps counted rows (1, 2, 3, …), the step each was taken
 *     as; 0 when they were times
 * @param repeated rows whose timestamp equals the one before (a clock turned back an hour, a
 *     doubled sample): scored as they came, as live ingest would
 * @param firstRepeatedLine the line of the first such row, 0 when there is none
 */
public record BacktestSummary(
    long rows,
    long missing,
    long anomalies,
    long sequenceStepMillis,
    long repeated,
    long firstRepeatedLine) {}
