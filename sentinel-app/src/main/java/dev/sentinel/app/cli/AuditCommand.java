package dev.sentinel.app.cli;

import dev.sentinel.audit.Verification;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sentinel audit verify|prune}: the hash-chained audit trail. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Verify or prune the audit trail.",
    subcommands = {AuditCommand.VerifyTrail.class, AuditCommand.PruneTrail.class})
final class AuditCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check that no audit entry was altered, removed or reordered.",
        "Exit 0 when the trail is intact, 1 when it is broken (the first break is named)."
      })
  static final class VerifyTrail extends StateCommand {

    @Override
    int run(State state) {
      return switch (state.audit().verify()) {
        case Verification.Intact intact -> {
          long first = intact.lastSequence() - intact.entriesChecked() + 1;
          state
              .out()
              .println(
                  "audit trail intact: "
                      + intact.entriesChecked()
                      + (intact.entriesChecked() == 1 ? " entry" : " entries")
                      + (intact.entriesChecked() == 0
                          ? ""
                          : " (sequence " + first + ".." + intact.lastSequence() + ")"));
          yield 0;
        }
        case Verification.Broken broken -> {
          state
              .out()
              .println("audit trail BROKEN at entry " + broken.sequence() + ": " + broken.reason());
          yield 1;
        }
      };
    }
  }

  @Command(
      name = "prune",
      mixinStandardHelpOptions = true,
      description = {
        "Remove audit entries older than a cut-off. The rest of the trail still verifies, and the"
            + " pruning is itself recorded.",
        "A running Sentinel does this daily when audit.retentionDays is set."
      })
  static final class PruneTrail extends StateCommand {

    private static final Pattern DAYS = Pattern.compile("(\\d+)d");

    @Option(
        names = "--before",
        required = true,
        paramLabel = "AGE|TIME",
        description = "An age in days (90d) or an RFC 3339 time (2026-01-01T00:00:00Z).")
    String before;

    @Override
    void check() {
      cutoff(before, System.currentTimeMillis());
    }

    @Override
    int run(State state) {
      long cutoff = cutoff(before, state.clock().millis());
      long removed = state.audit().pruneBefore(cutoff, state.actor());
      state
          .out()
          .println(
              "removed " + removed + " audit entries from before " + Instant.ofEpochMilli(cutoff));
      return 0;
    }

    static long cutoff(String text, long nowMillis) {
      Matcher days = DAYS.matcher(text.strip());
      if (days.matches()) {
        return nowMillis - Duration.ofDays(Long.parseLong(days.group(1))).toMillis();
      }
      try {
        return OffsetDateTime.parse(text.strip()).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--before must be an age in days (90d) or an RFC 3339 time"
                + " (2026-01-01T00:00:00Z), was '"
                + text
                + "'");
      }
    }
  }
}
