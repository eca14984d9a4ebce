package dev.sentinel.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code sentinel} process started from the packaged jar, as a user would start it, with its
 * output captured for assertions.
 */
public final class SentinelProcess implements AutoCloseable {

  private static final Pattern LISTENING =
      Pattern.compile("Sentinel listening on http://([^:]+):(\\d+) \\(ready in (\\d+) ms");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private volatile int port = -1;
  private volatile long readyMillis = -1;

  private final Thread pump;

  private SentinelProcess(Process process) {
    this.process = process;
    this.pump = Thread.ofPlatform().daemon(true).name("sentinel-output").start(this::pump);
  }

  /** Starts {@code java -jar sentinel.jar ARGS} with extra environment variables. */
  public static SentinelProcess start(Map<String, String> environment, String... args)
      throws IOException {
    String jar = System.getProperty("sentinel.jar", "target/sentinel.jar");
    if (!Path.of(jar).toFile().isFile()) {
      throw new IllegalStateException("the packaged jar " + jar + " is missing; run mvn package");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-jar");
    command.add(jar);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    return new SentinelProcess(builder.start());
  }

  private void pump() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.add(line);
        Matcher listening = LISTENING.matcher(line);
        if (listening.find()) {
          readyMillis = Long.parseLong(listening.group(3));
          port = Integer.parseInt(listening.group(2));
        }
      }
    } catch (IOException e) {
      output.add("[output closed: " + e + "]");
    }
  }

  /** Waits until the process prints its port, and returns the base URL. */
  public String awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (port < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "sentinel exited with " + process.exitValue() + ":\n" + log());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("sentinel was not ready within " + timeout + ":\n" + log());
      }
      Thread.sleep(20);
    }
    return "http://127.0.0.1:" + port;
  }

  public long readyMillis() {
    return readyMillis;
  }

  public String log() {
    return String.join("\n", output);
  }

  public boolean printed(String text) {
    return output.stream().anyMatch(line -> line.contains(text));
  }

  public Process process() {
    return process;
  }

  /** SIGKILL: the process gets no chance to clean up, as in a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM, as an orchestrator stops a pod, then waits for the exit and for the last line of
   * output. Unlike {@link Process#destroy}, which closes the pipes at once, it keeps what the
   * process prints while it shuts down.
   *
   * @return whether the process exited within {@code timeout}
   */
  public boolean stop(Duration timeout) throws InterruptedException {
    process.toHandle().destroy();
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (exited) {
      pump.join(5_000);
    }
    return exited;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
