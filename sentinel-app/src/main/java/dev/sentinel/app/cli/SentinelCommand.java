package dev.sentinel.app.cli;

import dev.sentinel.app.observe.SentinelVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sentinel} command line. */
@Command(
    name = "sentinel",
    mixinStandardHelpOptions = true,
    versionProvider = SentinelCommand.Version.class,
    description = "Sentinel: autonomous incident response.",
    subcommands = {
      RunCommand.class,
      DetectCommand.class,
      KeysCommand.class,
      AuditCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      ConfigCommand.class,
      EvalCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SentinelCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int exit = new CommandLine(new SentinelCommand()).execute(args);
    if (exit != 0 || !RunCommand.isServing()) {
      System.exit(exit);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"sentinel " + SentinelVersion.current().display()};
    }
  }
}
