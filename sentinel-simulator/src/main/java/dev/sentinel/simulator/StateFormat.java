package dev.sentinel.simulator;

import dev.sentinel.execute.ActionResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The text form of a saved {@link FleetState} and the executor's {@link KeyedOutcome}s: one record
 * a line, in the {@link StateLine} syntax, ending with a line that counts the records so that a
 * file cut short is noticed. Lines starting with {@code #} and blank lines are ignored.
 *
 * <pre>
 * sentinel-simulator-state format=1
 * noise state=-7046029254386353131
 * service name=api replicas=3 version=v2.14.1 previous=v2.14.0 defective=v2.14.1 processStart=1715781600000 restartedAt=never scaledAt=never
 * fault service=api kind=BAD_DEPLOY start=1715781600000 until=cleared
 * outcome key=inc-7/2/1 request=rollback%20simulator:api result=applied summary=rolled%20api%20back... after.replicas=3 after.version=v2.14.0
 * end services=4 faults=1 outcomes=1
 * </pre>
 */
final class StateFormat {

  static final String HEADER = "sentinel-simulator-state";
  static final int FORMAT = 1;

  static final String NEVER = "never";
  static final String CLEARED = "cleared";
  static final String AFTER = "after.";

  private StateFormat() {}

  static List<String> write(FleetStateFile.Saved saved) {
    List<String> lines = new ArrayList<>();
    lines.add("# Sentinel's simulated fleet and executor keys; values are percent-escaped.");
    lines.add(line(HEADER).with("format", FORMAT).text());
    lines.add(line("noise").with("state", saved.fleet().noiseState()).text());
    int faults = 0;
    for (FleetState.Service service : saved.fleet().services()) {
      lines.add(
          line("service")
              .with("name", service.name())
              .with("replicas", service.replicas())
              .with("version", service.version())
              .withList("previous", service.previousVersions())
              .withList("defective", service.defectiveVersions())
              .with("processStart", service.processStartMillis())
              .with("restartedAt", millis(service.restartedAtMillis(), FleetState.NEVER, NEVER))
              .with("scaledAt", millis(service.scaledAtMillis(), FleetState.NEVER, NEVER))
              .text());
      for (Fault fault : service.faults()) {
        faults++;
        lines.add(
            line("fault")
                .with("service", fault.service())
                .with("kind", fault.kind().name())
                .with("start", fault.startMillis())
                .with("until", millis(fault.untilMillis(), Fault.UNTIL_CLEARED, CLEARED))
                .text());
      }
    }
    for (KeyedOutcome outcome : saved.outcomes()) {
      lines.add(outcome(outcome));
    }
    lines.add(
        line("end")
            .with("services", saved.fleet().services().size())
            .with("faults", faults)
            .with("outcomes", saved.outcomes().size())
            .text());
    return lines;
  }

  private static String outcome(KeyedOutcome outcome) {
    ActionResult result = outcome.result();
    Line line =
        line("outcome")
            .with("key", outcome.key())
            .with("request", outcome.request())
            .with("result", resultName(result))
            .with("summary", result.summary());
    if (result instanceof ActionResult.Applied applied) {
      new TreeMap<>(applied.after()).forEach((name, value) -> line.with(AFTER + name, value));
    }
    return line.text();
  }

  private static String resultName(ActionResult result) {
    return switch (result) {
      case ActionResult.Applied applied -> "applied";
      case ActionResult.Failed failed -> "failed";
      case ActionResult.Refused refused -> "refused";
      case ActionResult.DryRun dryRun -> "dry-run";
    };
  }

  private static String millis(long value, long special, String word) {
    return value == special ? word : Long.toString(value);
  }

  /** Reads what {@link #write} wrote; {@code source} names the file in error messages. */
  static FleetStateFile.Saved read(String source, List<String> lines) {
    StateReader reader = new StateReader(source);
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      if (!text.isBlank() && !text.startsWith("#")) {
        reader.accept(StateLine.parse(source, i + 1, text));
      }
    }
    return reader.finish(lines.size());
  }

  private static Line line(String kind) {
    return new Line(kind);
  }

  /** Builds one line: the kind, then escaped fields in the order given. */
  private static final class Line {
    private final StringBuilder text;

    Line(String kind) {
      this.text = new StringBuilder(kind);
    }

    Line with(String name, Object value) {
      text.append(' ').append(name).append('=').append(StateLine.escape(String.valueOf(value)));
      return this;
    }

    Line withList(String name, Collection<String> values) {
      List<String> escaped = values.stream().map(StateLine::escape).toList();
      text.append(' ').append(name).append('=').append(String.join(",", escaped));
      return this;
    }

    String text() {
      return text.toString();
    }
  }
}
