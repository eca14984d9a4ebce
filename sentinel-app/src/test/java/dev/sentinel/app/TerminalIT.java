package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees in the terminal, through the real launcher ({@code ./sentinel}) with a fresh
 * class-data-sharing cache: one-shot commands print only their answer on standard output; a demo
 * run prints only Sentinel's own lines (no JVM, PostgreSQL, Flyway or Hikari lines, no stack
 * traces); JSON mode is JSON on every line; SIGTERM stops it with exit code 0.
 */
class TerminalIT {

  private static final Path LAUNCHER = Path.of("..", "sentinel").toAbsolutePath().normalize();
  private static final String ADMIN = "terminal-it-admin-key-0123456789abcdef";
  private static final Pattern TEXT_LINE =
      Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) (\\S+) ");
  private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at \\S+\\(|^Caused by: ");

  @TempDir Path dir;

  /** A launched command with its two output streams read as they come. */
  private final class Launched {
    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();

    Launched(Map<String, String> environment, String... args) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(LAUNCHER.toString());
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("SENTINEL_SKIP_BUILD", "1");
      builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
      builder.environment().putAll(environment);
      process = builder.start();
      pump(process.getInputStream(), out);
      pump(process.getErrorStream(), err);
    }

    private static void pump(InputStream stream, List<String> lines) {
      Thread.ofPlatform()
          .daemon(true)
          .start(
              () -> {
                try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = reader.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // the stream closes with the process: everything it printed was read
                }
              });
    }

    int await(long seconds) throws InterruptedException {
      assertThat(process.waitFor(seconds, TimeUnit.SECONDS))
          .as("exited within %d s; out %s; err %s", seconds, out, err)
          .isTrue();
      Thread.sleep(200); // the pumps read what is left
      return process.exitValue();
    }

    boolean printed(String text) {
      return out.stream().anyMatch(line -> line.contains(text));
    }

    String transcript() {
      return "stdout:\n" + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err);
    }
  }

  @Test
  void one_shot_commands_print_only_their_answer_on_standard_output() throws Exception {
    String data = dir.resolve("data").toString();
    Launched keys =
        new Launched(
            Map.of(), "keys", "create", "--role", "viewer", "--name", "ci", "--data-dir", data);
    assertThat(keys.await(120)).as(keys.transcript()).isZero();
    assertThat(keys.out).as(keys.transcript()).hasSize(1);
    assertThat(keys.out.getFirst()).matches("snt_\\S+");
    assertThat(String.join("\n", keys.err)).contains("created key key_").contains("role viewer");

    Path series = dir.resolve("series.csv");
    StringBuilder csv = new StringBuilder("timestamp,value\n");
    for (int i = 0; i < 300; i++) {
      csv.append(1_700_000_000 + i * 60)
          .append(',')
          .append(i == 250 ? 500 : 10 + i % 3)
          .append('\n');
    }
    Files.writeString(series, csv);
    Launched detect =
        new Launched(
            Map.of(),
            "detect",
            "--input",
            series.toString(),
            "--output",
            dir.resolve("scored.csv").toString());
    assertThat(detect.await(60)).as(detect.transcript()).isZero();
    assertThat(detect.out).as(detect.transcript()).hasSize(1);
    assertThat(detect.out.getFirst())
        .matches("300 rows scored \\(0 missing values\\), \\d+ anomalous; written to .*");
    System.out.printf(
        "TERMINAL one-shot: keys create %d stdout line(s), %d stderr; detect %d stdout line(s), %d"
            + " stderr%n",
        keys.out.size(), keys.err.size(), detect.out.size(), detect.err.size());
  }

  @Test
  void the_demo_prints_only_sentinels_own_lines_and_sigterm_stops_it_with_code_0()
      throws Exception {
    Launched demo =
        new Launched(
            Map.of("SENTINEL_ADMIN_KEY", ADMIN),
            "run",
            "--demo",
            "--port",
            "0",
            "--data-dir",
            dir.resolve("demo").toString());
    awaitListening(demo);
    // The first fault's story: an incident opened, a workflow step taken on it.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
    while (!(story(demo, " incident ") && story(demo, " workflow "))
        && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    demo.process.destroy(); // SIGTERM
    assertThat(demo.await(60)).as("exit code after SIGTERM; %s", demo.transcript()).isZero();

    Set<String> ours = sentinelClassNames();
    List<String> foreign = new ArrayList<>();
    int lines = 0;
    for (List<String> stream : List.of(demo.out, demo.err)) {
      for (String line : stream) {
        lines++;
        if (line.startsWith("Sentinel listening on ")) {
          continue;
        }
        Matcher logged = TEXT_LINE.matcher(line);
        if (!logged.find() || !ours.contains(logged.group(2)) || STACK_FRAME.matcher(line).find()) {
          foreign.add(line);
        }
      }
    }
    System.out.printf(
        "TERMINAL demo: %d lines until the first incident was worked, %d not Sentinel's own%n",
        lines, foreign.size());
    assertThat(foreign).as(demo.transcript()).isEmpty();
    assertThat(story(demo, " incident ") && story(demo, " workflow "))
        .as("the demo tells its loop (an incident opened, a workflow step): %s", demo.transcript())
        .isTrue();
  }

  @Test
  void json_mode_is_json_on_every_line_and_sigterm_stops_it_with_code_0() throws Exception {
    Launched json =
        new Launched(
            // A variable Kubernetes injects: its warning is logged while the configuration is
            // read, before the log's format is chosen, and must come out as JSON too.
            Map.of(
                "SENTINEL_ADMIN_KEY",
                ADMIN,
                "SENTINEL_LOG_FORMAT",
                "json",
                "SENTINEL_SERVICE_HOST",
                "10.96.0.12"),
            "run",
            "--port",
            "0",
            "--data-dir",
            dir.resolve("json").toString());
    awaitListening(json);
    Thread.sleep(3_000);
    json.process.destroy();
    assertThat(json.await(60)).as(json.transcript()).isZero();
    ObjectMapper mapper = new ObjectMapper();
    List<String> notJson = new ArrayList<>();
    for (List<String> stream : List.of(json.out, json.err)) {
      for (String line : stream) {
        try {
          if (!mapper.readTree(line).isObject()) {
            notJson.add(line);
          }
        } catch (IOException e) {
          notJson.add(line);
        }
      }
    }
    System.out.printf(
        "TERMINAL json: %d lines, %d not JSON%n",
        json.out.size() + json.err.size(), notJson.size());
    assertThat(notJson).as(json.transcript()).isEmpty();
    assertThat(json.out).anyMatch(line -> line.contains("SENTINEL_SERVICE_HOST"));
  }

  /** Whether a log line of the named story logger was printed, e.g. {@code " incident "}. */
  private static boolean story(Launched launched, String logger) {
    return launched.out.stream()
        .anyMatch(line -> TEXT_LINE.matcher(line).find() && line.contains(logger));
  }

  private static void awaitListening(Launched launched) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!launched.printed("Sentinel listening on ")) {
      assertThat(launched.process.isAlive()).as(launched.transcript()).isTrue();
      assertThat(System.nanoTime()).as(launched.transcript()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The simple names of Sentinel's own classes: what its loggers print as their name. */
  private static Set<String> sentinelClassNames() throws IOException {
    Set<String> names = new HashSet<>();
    try (JarFile jar = new JarFile(System.getProperty("sentinel.jar", "target/sentinel.jar"))) {
      jar.stream()
          .map(entry -> entry.getName())
          .filter(name -> name.startsWith("dev/sentinel/") && name.endsWith(".class"))
          .map(name -> name.substring(name.lastIndexOf('/') + 1, name.length() - ".class".length()))
          .filter(name -> !name.contains("$"))
          .forEach(names::add);
    }
    // The loggers that tell the loop's story by name (see Logging.OWN_LOGGERS).
    names.addAll(List.of("incident", "workflow", "demo", "telemetry"));
    return names;
  }
}
