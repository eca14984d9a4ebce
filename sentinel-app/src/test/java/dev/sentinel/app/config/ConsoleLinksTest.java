package dev.sentinel.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The console's link templates: empty leaves the link out; a set one must be a URL that uses it.
 */
class ConsoleLinksTest {

  @Test
  void empty_is_the_default_and_leaves_links_out() {
    assertThat(ServerConfig.defaults().console()).isEqualTo(new ConsoleLinks("", ""));
    assertThat(new ConsoleLinks(null, "  ").runbookUrl()).isEmpty();
  }

  @Test
  void a_template_must_be_an_http_url_with_its_placeholder() {
    ConsoleLinks links =
        new ConsoleLinks(
            " https://grafana.example/explore?expr={series}&from={from}&to={to} ",
            "https://git.example/runbooks/{file}");
    assertThat(links.grafanaUrl())
        .isEqualTo("https://grafana.example/explore?expr={series}&from={from}&to={to}");
    assertThatThrownBy(() -> new ConsoleLinks("grafana.example/{series}", ""))
        .hasMessageContaining("server.console.grafanaUrl")
        .hasMessageContaining("http");
    assertThatThrownBy(() -> new ConsoleLinks("", "https://git.example/runbooks/"))
        .hasMessageContaining("server.console.runbookUrl")
        .hasMessageContaining("{file}");
  }

  @Test
  void the_server_section_keeps_its_links_when_the_port_changes() {
    ServerConfig server =
        new ServerConfig(
            "127.0.0.1",
            0,
            1 << 20,
            false,
            BodyLimits.defaults(),
            new ConsoleLinks("https://g.example/{series}", ""));
    assertThat(server.withPort(9000).console().grafanaUrl())
        .isEqualTo("https://g.example/{series}");
  }
}
