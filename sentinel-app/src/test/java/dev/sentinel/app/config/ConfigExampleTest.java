package dev.sentinel.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigExampleTest {

  private static final Path CHECKED_IN = Path.of("..", "deploy", "config", "sentinel.example.yaml");

  @Test
  void the_example_names_every_key_with_a_meaning_and_loads_to_the_defaults() throws Exception {
    String example =
        ConfigExample.render(); // throws when a key has no meaning, or a meaning no key
    Path file = Files.createTempFile("sentinel-example", ".yaml");
    try {
      Files.writeString(file, example);
      assertThat(new ConfigLoader().load(file, Map.of())).isEqualTo(SentinelConfig.defaults());
    } finally {
      Files.delete(file);
    }
    assertThat(example)
        .contains("# the HTTP port (--port); 0 picks a free one\n  port: 8080\n")
        .contains("    # anomalies held; when full,");
  }

  @Test
  void the_checked_in_example_is_what_the_command_prints() throws Exception {
    assertThat(Files.readString(CHECKED_IN))
        .as("regenerate it: ./sentinel config example > deploy/config/sentinel.example.yaml")
        .isEqualTo(ConfigExample.render());
  }
}
