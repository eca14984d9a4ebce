package dev.sentinel.simulator;

import dev.sentinel.execute.ActionResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the lines of a state file in order (see {@link StateFormat}), checking each as it comes so
 * that an error names the line at fault. One reader reads one file.
 */
final class StateReader {

  private final String source;
  private final Map<String, FleetState.Service> services = new LinkedHashMap<>();
  private final Map<String, List<Fault>> faults = new LinkedHashMap<>();
  private final List<KeyedOutcome> outcomes = new ArrayList<>();
  private final Set<String> keys = new HashSet<>();
  private boolean started;
  private boolean ended;
  private Long noise;
  private int faultCount;

  StateReader(String source) {
    this.source = source;
  }

  void accept(StateLine line) {
    if (ended) {
      throw line.error("nothing may follow the 'end' line");
    }
    if (!started) {
      header(line);
    } else {
      switch (line.kind()) {
        case "noise" -> noise(line);
        case "service" -> service(line);
        case "fault" -> fault(line);
        case "outcome" -> outcome(line);
        case "end" -> end(line);
        default -> throw line.error("unknown record '" + line.kind() + "'");
      }
    }
    line.requireAllRead();
  }

  FleetStateFile.Saved finish(int lineCount) {
    if (!started) {
      throw new StateFileException(source + ": the file is empty");
    }
    if (!ended) {
      throw new StateFileException(
          source + ": the file stops at line " + lineCount + " without its 'end' line: cut short?");
    }
    if (noise == null) {
      throw new StateFileException(source + ": the file has no 'noise' line");
    }
    List<FleetState.Service> complete = new ArrayList<>();
    services.forEach((name, service) -> complete.add(service.withFaults(faults.get(name))));
    return new FleetStateFile.Saved(new FleetState(noise, complete), outcomes);
  }

  private void header(StateLine line) {
    if (!line.kind().equals(StateFormat.HEADER)) {
      throw line.error(
          "expected '" + StateFormat.HEADER + " format=" + StateFormat.FORMAT + "' first");
    }
    long format = line.number("format");
    if (format != StateFormat.FORMAT) {
      throw line.error("format " + format + " is not readable here; this version reads format 1");
    }
    started = true;
  }

  private void noise(StateLine line) {
    if (noise != null) {
      throw line.error("a second 'noise' line");
    }
    noise = line.number("state");
  }

  private void service(StateLine line) {
    String name = line.text("name");
    if (services.containsKey(name)) {
      throw line.error("service '" + name + "' appears twice");
    }
    int replicas = line.integer("replicas");
    String version = line.text("version");
    List<String> previous = line.list("previous");
    List<String> defective = line.list("defective");
    long processStart = line.number("processStart");
    long restartedAt = line.millis("restartedAt", StateFormat.NEVER, FleetState.NEVER);
    long scaledAt = line.millis("scaledAt", StateFormat.NEVER, FleetState.NEVER);
    try {
      services.put(
          name,
          new FleetState.Service(
              name,
              replicas,
              version,
              previous,
              new TreeSet<>(defective),
              List.of(),
              processStart,
              restartedAt,
              scaledAt));
    } catch (IllegalArgumentException | SimulatorException e) {
      throw line.error(e.getMessage());
    }
    faults.put(name, new ArrayList<>());
  }

  private void fault(StateLine line) {
    String service = line.text("service");
    List<Fault> ofService = faults.get(service);
    if (ofService == null) {
      throw line.error("a fault of '" + service + "', which no 'service' line above declares");
    }
    String kind = line.text("kind");
    if (Arrays.stream(FaultKind.values()).noneMatch(known -> known.name().equals(kind))) {
      throw line.error(
          "unknown fault kind '" + kind + "'; known: " + Arrays.toString(FaultKind.values()));
    }
    long start = line.number("start");
    long until = line.millis("until", StateFormat.CLEARED, Fault.UNTIL_CLEARED);
    try {
      ofService.add(new Fault(FaultKind.valueOf(kind), service, start, until));
    } catch (IllegalArgumentException e) {
      throw line.error(e.getMessage());
    }
    faultCount++;
  }

  private void outcome(StateLine line) {
    String key = line.text("key");
    if (!keys.add(key)) {
      throw line.error("idempotency key '" + key + "' appears twice");
    }
    String request = line.text("request");
    String summary = line.text("summary");
    Map<String, String> after = line.withPrefix(StateFormat.AFTER);
    String result = line.text("result");
    if (!result.equals("applied") && !after.isEmpty()) {
      throw line.error("only an applied outcome has 'after.' fields");
    }
    ActionResult outcome =
        switch (result) {
          case "applied" -> new ActionResult.Applied(summary, after);
          case "failed" -> new ActionResult.Failed(summary);
          case "refused" -> new ActionResult.Refused(summary);
          case "dry-run" -> new ActionResult.DryRun(summary);
          default ->
              throw line.error(
                  "unknown result '" + result + "'; known: applied, failed, refused, dry-run");
        };
    outcomes.add(new KeyedOutcome(key, request, outcome));
  }

  private void end(StateLine line) {
    check(line, "services", services.size());
    check(line, "faults", faultCount);
    check(line, "outcomes", outcomes.size());
    ended = true;
  }

  private static void check(StateLine line, String what, int found) {
    long counted = line.number(what);
    if (counted != found) {
      throw line.error(
          "the 'end' line counts " + counted + " " + what + " but the file holds " + found);
    }
  }
}
