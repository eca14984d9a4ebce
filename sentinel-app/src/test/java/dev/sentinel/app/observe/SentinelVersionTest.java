package dev.sentinel.app.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.cli.SentinelCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SentinelVersionTest {

  @Test
  void the_build_writes_the_project_version_and_the_git_revision() {
    SentinelVersion version = SentinelVersion.current();
    // The surefire run is part of the Maven build that wrote the resource.
    assertThat(version.version()).isEqualTo(System.getProperty("sentinel.expectedVersion"));
    assertThat(version.revision()).isNotBlank().isNotEqualTo("unknown");
    assertThat(version.display()).isEqualTo(version.version() + " (" + version.revision() + ")");
  }

  @Test
  void an_unknown_revision_is_left_out_of_the_display() {
    assertThat(new SentinelVersion("1.2.3", "unknown").display()).isEqualTo("1.2.3");
  }

  @Test
  void dash_dash_version_prints_it() {
    StringWriter out = new StringWriter();
    int exit =
        new CommandLine(new SentinelCommand()).setOut(new PrintWriter(out)).execute("--version");
    assertThat(exit).isZero();
    assertThat(out.toString().strip())
        .isEqualTo("sentinel " + SentinelVersion.current().display())
        .doesNotContain("development build");
  }
}
