package dev.sentinel.simulator;

import static dev.sentinel.simulator.Timeline.SECOND;
import static dev.sentinel.simulator.Timeline.WEDNESDAY_AFTERNOON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.execute.ActionResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetStateFileTest {

  private static final long T = WEDNESDAY_AFTERNOON;

  @TempDir Path directory;

  private Path path() {
    return directory.resolve("state").resolve("simulator.state");
  }

  private static FleetState busyFleet() {
    Fleet fleet = Fleet.demo(3);
    fleet.emit(T, (series, at, value) -> {});
    fleet.deploy("api", "v2.15.0", T);
    fleet.inject(FaultKind.BAD_DEPLOY, "api", T + SECOND);
    fleet.inject(FaultKind.LATENCY_SPIKE, "db", T + 2 * SECOND);
    fleet.inject(FaultKind.MEMORY_LEAK, "db", T + 3 * SECOND);
    fleet.scale("cache", 4, T + 4 * SECOND);
    return fleet.snapshotState();
  }

  private static List<KeyedOutcome> outcomes() {
    return List.of(
        new KeyedOutcome(
            "inc-1/restart/1",
            "restart simulator:db",
            new ActionResult.Applied("restarted db", Map.of("replicas", "1", "version", "v15.4"))),
        new KeyedOutcome(
            "odd key = 100%, with\nline break",
            "scale simulator:api {replicas=x}",
            new ActionResult.Failed("replicas for api must be a whole number, was 'x' — größer")),
        new KeyedOutcome("k3", "restart simulator:api", new ActionResult.Refused("")),
        new KeyedOutcome("k4", "restart simulator:api", new ActionResult.DryRun("would restart")));
  }

  @Test
  void a_saved_state_reads_back_equal_including_awkward_characters() {
    FleetStateFile file = new FleetStateFile(path());
    FleetState fleet = busyFleet();

    file.save(fleet, outcomes());

    assertThat(file.load()).contains(new FleetStateFile.Saved(fleet, outcomes()));
  }

  @Test
  void nothing_is_loaded_where_nothing_was_saved() {
    assertThat(new FleetStateFile(path()).load()).isEmpty();
  }

  @Test
  void a_save_replaces_the_whole_file_and_leaves_no_temporary_file_behind() throws IOException {
    FleetStateFile file = new FleetStateFile(path());
    file.save(busyFleet(), outcomes());
    FleetState fresh = Fleet.demo(3).snapshotState();

    file.save(fresh, List.of());

    assertThat(file.load()).contains(new FleetStateFile.Saved(fresh, List.of()));
    try (var files = Files.list(path().getParent())) {
      assertThat(files).containsExactly(path());
    }
  }

  @Test
  void the_file_is_one_readable_record_a_line() throws IOException {
    new FleetStateFile(path()).save(busyFleet(), outcomes().subList(0, 1));

    List<String> lines = Files.readAllLines(path());

    assertThat(lines.get(1)).isEqualTo("sentinel-simulator-state format=1");
    assertThat(lines)
        .contains(
            "service name=api replicas=3 version=v2.15.1 previous=v2.15.0,v2.14.0"
                + " defective=v2.15.1 processStart="
                + (T + SECOND)
                + " restartedAt=never scaledAt=never",
            "fault service=db kind=LATENCY_SPIKE start="
                + (T + 2 * SECOND)
                + " until="
                + (T + 2 * SECOND + 600_000),
            "fault service=db kind=MEMORY_LEAK start=" + (T + 3 * SECOND) + " until=cleared",
            "outcome key=inc-1/restart/1 request=restart%20simulator:db result=applied"
                + " summary=restarted%20db after.replicas=1 after.version=v15.4",
            "end services=4 faults=3 outcomes=1");
  }

  @Test
  void a_damaged_number_is_reported_with_its_file_line_and_field() throws IOException {
    assertDamage(
        lines ->
            replace(
                lines, "service name=checkout replicas=2", "service name=checkout replicas=two"),
        ", line 6: field 'replicas' should be a whole number, found 'two'");
  }

  @Test
  void a_file_cut_short_is_reported() throws IOException {
    assertDamage(
        lines -> lines.subList(0, lines.size() - 3),
        ": the file stops at line 9 without its 'end' line: cut short?");
  }

  @Test
  void a_lost_line_is_caught_by_the_count_in_the_end_line() throws IOException {
    assertDamage(
        lines ->
            lines.stream()
                .filter(line -> !line.startsWith("fault service=db kind=MEMORY"))
                .toList(),
        ", line 11: the 'end' line counts 3 faults but the file holds 2");
  }

  @Test
  void other_damage_names_the_line_and_the_problem() throws IOException {
    assertDamage(
        lines -> replace(lines, "kind=MEMORY_LEAK", "kind=MEMORY_HOG"),
        ", line 9: unknown fault kind 'MEMORY_HOG'; known: [MEMORY_LEAK, LATENCY_SPIKE,"
            + " ERROR_BURST, SATURATION, BAD_DEPLOY]");
    assertDamage(
        lines ->
            replace(
                lines, "sentinel-simulator-state format=1", "sentinel-simulator-state format=2"),
        ", line 2: format 2 is not readable here; this version reads format 1");
    assertDamage(
        lines ->
            replace(lines, "restartedAt=never scaledAt=never", "restarted=never scaledAt=never"),
        ", line 4: a 'service' line needs the field 'restartedAt'");
    assertDamage(
        lines -> replace(lines, "until=cleared", "until=cleared colour=red"),
        ", line 5: unknown field 'colour' in a 'fault' line");
    assertDamage(
        lines -> replace(lines, "request=restart%20simulator:db", "request=restart%2simulator:db"),
        ", line 11: field 'request' has a broken escape at '%2simulator:db'");
    assertDamage(
        lines -> replace(lines, "noise state=", "nois state="), ", line 3: unknown record 'nois'");
    assertDamage(
        lines -> replace(lines, "version=v15.4", "version=v15.4 version=v15.5"),
        ", line 7: field 'version' appears twice");
    assertDamage(
        lines -> replace(lines, "replicas=4", "replicas=400"),
        ", line 10: replicas for cache must be between 1 and 50, was 400");
    assertDamage(lines -> List.of("# nothing here"), ": the file is empty");
  }

  private void assertDamage(UnaryOperator<List<String>> damage, String message) throws IOException {
    FleetStateFile file = new FleetStateFile(path());
    file.save(busyFleet(), outcomes().subList(0, 1));
    List<String> lines = new ArrayList<>(Files.readAllLines(path(), StandardCharsets.UTF_8));
    Files.write(path(), damage.apply(lines), StandardCharsets.UTF_8);

    assertThatThrownBy(file::load)
        .isInstanceOf(StateFileException.class)
        .hasMessage(path() + message);
  }

  private static List<String> replace(List<String> lines, String from, String to) {
    List<String> damaged = lines.stream().map(line -> line.replace(from, to)).toList();
    assertThat(damaged).as("the damage applies").isNotEqualTo(lines);
    return damaged;
  }
}
