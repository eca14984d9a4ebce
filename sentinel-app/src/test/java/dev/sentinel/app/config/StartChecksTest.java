package dev.sentinel.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartChecksTest {

  @TempDir Path dir;

  private static SentinelConfig on(String host, int port) {
    SentinelConfig defaults = SentinelConfig.defaults();
    return defaults.withServer(
        new ServerConfig(
            host, port, defaults.server().maxBodyBytes(), false, BodyLimits.defaults()));
  }

  @Test
  void an_admin_key_shorter_than_32_characters_stops_the_start_with_one_line() {
    assertThatThrownBy(
            () -> StartChecks.check(on("127.0.0.1", 0), Map.of("SENTINEL_ADMIN_KEY", "short")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SENTINEL_ADMIN_KEY: ")
        .hasMessageContaining("at least 32")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatNoException()
        .isThrownBy(
            () ->
                StartChecks.check(
                    on("127.0.0.1", 0), Map.of("SENTINEL_ADMIN_KEY", "a".repeat(32))));
  }

  @Test
  void a_bind_address_that_is_not_this_machines_is_refused() {
    assertThatThrownBy(() -> StartChecks.check(on("192.0.2.1", 0), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.host '192.0.2.1' is no address of this machine");
    assertThatNoException().isThrownBy(() -> StartChecks.check(on("0.0.0.0", 0), Map.of()));
  }

  @Test
  void a_port_that_is_taken_is_refused_before_anything_starts() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      assertThatThrownBy(() -> StartChecks.check(on("127.0.0.1", taken.getLocalPort()), Map.of()))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("server.port " + taken.getLocalPort());
    }
  }

  @Test
  void a_pool_smaller_than_the_workers_and_the_desk_need_stops_the_start_with_one_line()
      throws Exception {
    ConfigLoader loader = new ConfigLoader();
    Path small =
        Files.writeString(
            dir.resolve("small.yaml"),
            "state:\n  poolSize: 8\nremediation:\n  workflow: {workers: 5}\n");
    assertThatThrownBy(() -> StartChecks.connectionPool(loader.load(small, Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("state.poolSize 8 is too small: remediation.workflow.workers (5)")
        .hasMessageContaining("need 9 connections")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    Path enough =
        Files.writeString(
            dir.resolve("enough.yaml"),
            "state:\n  poolSize: 9\nremediation:\n  workflow: {workers: 5}\n");
    assertThatNoException()
        .isThrownBy(() -> StartChecks.connectionPool(loader.load(enough, Map.of())));
    Path off =
        Files.writeString(
            dir.resolve("off.yaml"),
            "state:\n  poolSize: 4\nremediation:\n  enabled: false\n  workflow: {workers: 5}\n");
    assertThatNoException()
        .isThrownBy(() -> StartChecks.connectionPool(loader.load(off, Map.of())));
    assertThatNoException().isThrownBy(() -> StartChecks.connectionPool(SentinelConfig.defaults()));
  }

  @Test
  void a_body_limit_out_of_range_names_its_key() {
    assertThatThrownBy(() -> new BodyLimits(0, 0, 0, 4096, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("server.bodyLimits.slack must be in 1024..");
  }
}
