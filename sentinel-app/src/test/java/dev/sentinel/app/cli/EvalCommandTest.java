package dev.sentinel.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {

  @TempDir Path dir;

  @Test
  void eval_loop_prints_the_tables_writes_every_trial_and_exits_by_the_invariants()
      throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path json = dir.resolve("loop.json");
    int exit =
        new CommandLine(new SentinelCommand())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute("eval", "loop", "--trials", "2", "--seed", "4", "--json", json.toString());

    assertThat(out.toString())
        .contains("## sentinel eval loop --trials 2 --seed 4")
        .contains("### Diagnosis confusion matrix")
        .contains("### Outcome per fault kind")
        .contains("### Done when");
    assertThat(err.toString()).contains("trial   1 ").contains("trial   2 ");
    JsonNode written = new ObjectMapper().readTree(json.toFile());
    assertThat(written.get("trials")).hasSize(2);
    int breaks = written.get("invariantBreaks").asInt();
    assertThat(exit).isEqualTo(breaks == 0 ? 0 : 1);
  }

  @Test
  void eval_loop_refuses_a_run_without_trials() {
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new SentinelCommand())
            .setErr(new PrintWriter(err, true))
            .execute("eval", "loop", "--trials", "0");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--trials must be >= 1");
  }
}
