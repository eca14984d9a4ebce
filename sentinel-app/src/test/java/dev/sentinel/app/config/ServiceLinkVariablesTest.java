package dev.sentinel.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A pod in a namespace with a Service named {@code sentinel} gets {@code SENTINEL_PORT=tcp://...}
 * and its relatives from Kubernetes: Sentinel must start next to them, and still refuse a real
 * typo.
 */
class ServiceLinkVariablesTest {

  /**
   * What kubelet injected for {@code kubectl expose deployment sentinel --port 8080 --name ...}.
   */
  private static final Map<String, String> INJECTED =
      Map.of(
          "SENTINEL_PORT", "tcp://10.96.0.12:8080",
          "SENTINEL_PORT_8080_TCP", "tcp://10.96.0.12:8080",
          "SENTINEL_PORT_8080_TCP_PROTO", "tcp",
          "SENTINEL_PORT_8080_TCP_PORT", "8080",
          "SENTINEL_PORT_8080_TCP_ADDR", "10.96.0.12",
          "SENTINEL_SERVICE_HOST", "10.96.0.12",
          "SENTINEL_SERVICE_PORT", "8080",
          "SENTINEL_SERVICE_PORT_HTTP", "8080");

  private final ConfigLoader loader = new ConfigLoader();
  private final Logger logger = (Logger) LoggerFactory.getLogger(ConfigLoader.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void listen() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void stopListening() {
    logger.detachAppender(logged);
  }

  @Test
  void the_variables_of_a_service_named_sentinel_are_ignored_with_one_warning() {
    SentinelConfig config = loader.load(null, INJECTED);

    assertThat(config).isEqualTo(SentinelConfig.defaults());
    List<ILoggingEvent> warnings =
        logged.list.stream().filter(event -> event.getLevel() == Level.WARN).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.getFirst().getFormattedMessage())
        .contains(
            "SENTINEL_PORT, SENTINEL_PORT_8080_TCP, SENTINEL_PORT_8080_TCP_ADDR",
            "SENTINEL_SERVICE_PORT_HTTP",
            "enableServiceLinks: false");
  }

  @Test
  void real_keys_beside_them_still_apply_and_nothing_is_said_without_them() {
    Map<String, String> environment = new java.util.HashMap<>(INJECTED);
    environment.put("SENTINEL_SERVER_PORT", "9090");
    assertThat(loader.load(null, environment).server().port()).isEqualTo(9090);

    logged.list.clear();
    loader.load(null, Map.of("SENTINEL_SERVER_PORT", "9091"));
    assertThat(logged.list).noneMatch(event -> event.getLevel() == Level.WARN);
  }

  @Test
  void look_alikes_that_kubernetes_does_not_make_still_fail() {
    for (String name :
        List.of(
            "SENTINEL_PORTS",
            "SENTINEL_PORT_HTTP",
            "SENTINEL_PORT_8080_TCP_HOST",
            "SENTINEL_SERVICE_HOSTNAME",
            "SENTINEL_SERVER_PROT")) {
      assertThatThrownBy(() -> loader.load(null, Map.of(name, "8080")))
          .as(name)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(name + " does not name a configuration key");
    }
  }
}
