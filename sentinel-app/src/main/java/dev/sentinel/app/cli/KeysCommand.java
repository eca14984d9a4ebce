package dev.sentinel.app.cli;

import dev.sentinel.access.ApiKey;
import dev.sentinel.access.CreatedKey;
import dev.sentinel.access.Role;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sentinel keys create|list|revoke}: API keys, from the machine Sentinel runs on. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create, list and revoke API keys.",
    subcommands = {
      KeysCommand.CreateKey.class,
      KeysCommand.ListKeys.class,
      KeysCommand.RevokeKey.class
    })
final class KeysCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Turns {@code --role operator} into a {@link Role}, listing the roles when it is not one. */
  static final class RoleConverter implements CommandLine.ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      try {
        return Role.fromCode(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create an API key and print its secret, alone, on standard output (the key's id and role"
            + " go to standard error). The secret is shown this once; only its hash is stored.",
        "Roles: ingest (send telemetry only), viewer (read everything), operator (viewer and"
            + " ingest, plus approve and reject), admin (everything, including keys)."
      })
  static final class CreateKey extends StateCommand {

    @Option(names = "--name", required = true, description = "What the key is for.")
    String name;

    @Option(
        names = "--role",
        required = true,
        converter = RoleConverter.class,
        description = "ingest, viewer, operator or admin.")
    Role role;

    @Override
    int run(State state) {
      CreatedKey created = state.keys().create(name, role, state.actor());
      // Standard output is the secret alone, so that KEY=$(sentinel keys create ...) works.
      state.out().println(created.secret());
      state.out().flush();
      state
          .err()
          .println(
              "created key "
                  + created.key().id()
                  + " ("
                  + created.key().name()
                  + ", role "
                  + created.key().role().code()
                  + "); its secret, above, is not shown again."
                  + " Send it as 'Authorization: Bearer <secret>'.");
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List every API key, active and revoked (never secrets).")
  static final class ListKeys extends StateCommand {

    @Override
    int run(State state) {
      List<ApiKey> keys = state.keys().list();
      if (keys.isEmpty()) {
        state.out().println("no API keys");
        return 0;
      }
      String format = "%-16s  %-8s  %-20s  %-20s  %s%n";
      state.out().printf(format, "ID", "ROLE", "CREATED", "REVOKED", "NAME");
      for (ApiKey key : keys) {
        state
            .out()
            .printf(
                format,
                key.id(),
                key.role().code(),
                seconds(key.createdAtMillis()),
                key.active() ? "-" : seconds(key.revokedAtMillis()),
                key.name());
      }
      return 0;
    }

    private static String seconds(long millis) {
      return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke an API key. It stops working at once for new requests to other processes, and"
              + " within 5 seconds on a running Sentinel (which remembers keys that briefly).")
  static final class RevokeKey extends StateCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The key's id (key_...).")
    String id;

    @Override
    int run(State state) {
      if (!state.keys().revoke(id, state.actor())) {
        spec.commandLine().getErr().println("sentinel: no active API key with id '" + id + "'");
        return 1;
      }
      state.out().println("revoked " + id);
      return 0;
    }
  }
}
