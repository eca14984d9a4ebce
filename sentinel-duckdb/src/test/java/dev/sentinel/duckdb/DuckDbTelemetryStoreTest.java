package dev.sentinel.duckdb;

import dev.sentinel.history.TelemetryStore;
import dev.sentinel.history.TelemetryStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The telemetry-store contract on a DuckDB file; reopening closes and reopens that file. */
class DuckDbTelemetryStoreTest extends TelemetryStoreContract {

  @TempDir Path directory;

  @Override
  protected TelemetryStore open() {
    return DuckDbTelemetryStore.open(directory);
  }
}
