/**
 * The telemetry history: the {@link dev.sentinel.history.TelemetryStore} port that keeps every
 * point for baselines, warm-up and analysis, and the {@link dev.sentinel.history.TelemetryWriter}
 * that feeds it off the hot path. Not a stage of the loop: ingest writes into it, and the stages
 * after detection read from it. It uses only {@code ingest} types; adapters (DuckDB, ClickHouse)
 * live in their own modules.
 */
package dev.sentinel.history;
