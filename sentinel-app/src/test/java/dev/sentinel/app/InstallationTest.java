package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstallationTest {

  @Test
  void a_relative_path_resolves_under_the_installation_the_launcher_names() {
    assertThat(Installation.resolve("runbooks", Optional.of("/opt/sentinel")))
        .isEqualTo(Path.of("/opt/sentinel/runbooks"));
  }

  @Test
  void an_absolute_path_is_kept_and_without_an_installation_the_working_directory_counts() {
    assertThat(Installation.resolve("/etc/sentinel/runbooks", Optional.of("/opt/sentinel")))
        .isEqualTo(Path.of("/etc/sentinel/runbooks"));
    assertThat(Installation.resolve("runbooks", Optional.empty())).isEqualTo(Path.of("runbooks"));
  }
}
