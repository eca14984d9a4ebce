package dev.sentinel.app.cli;

import dev.sentinel.app.config.ConfigExample;
import picocli.CommandLine.Command;

/** {@code sentinel config}: about the configuration file. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "About the configuration.",
    subcommands = {ConfigCommand.Example.class})
final class ConfigCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code sentinel config example}: every key, its default and its meaning, as YAML. */
  @Command(
      name = "example",
      mixinStandardHelpOptions = true,
      description =
          "Print a commented YAML file with every configuration key, its built-in value and"
              + " what it means (deploy/config/sentinel.example.yaml holds the same).")
  static final class Example implements Runnable {
    @Override
    public void run() {
      System.out.print(ConfigExample.render());
    }
  }
}
