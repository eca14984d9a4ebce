package dev.sentinel.clickhouse;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.history.TelemetryStoreException;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** What the ClickHouse store does before it reaches a server; needs none. */
class ClickHouseTelemetryStoreTest {

  @Test
  void a_database_name_that_is_not_a_plain_identifier_is_refused_before_any_request() {
    assertThatThrownBy(
            () -> ClickHouseTelemetryStore.open(URI.create("http://127.0.0.1:1"), "x; DROP"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("telemetry.clickhouse.database");
  }

  @Test
  void an_unreachable_server_is_a_store_failure_that_names_it() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // free once closed: nothing listens there
    }
    URI url = URI.create("http://127.0.0.1:" + port);
    assertThatThrownBy(() -> ClickHouseTelemetryStore.open(url, "sentinel"))
        .isInstanceOf(TelemetryStoreException.class)
        .hasMessageContaining("unreachable")
        .hasMessageContaining(url.toString());
  }
}
