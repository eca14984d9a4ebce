package dev.sentinel.app.eval;

import dev.sentinel.simulator.FaultKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The trials of {@code sentinel eval loop}: every fault kind the simulator injects, in every
 * service of the demo fleet, at four hours of a weekday (night trough, morning, afternoon peak,
 * evening); two faults in two services at once; a saturated database whose effects reach its
 * callers; two faults of one service one after the other; and fault-free days.
 *
 * <p>The families are interleaved in a fixed pattern of ten (six single faults, then one of each
 * other family), each family's trials shuffled by the seed, so that any prefix of the list, a short
 * run in the test suite as much as 200 trials, covers every family. Past the end of a family the
 * list starts it over with new noise seeds.
 */
final class FaultMatrix {

  static final List<String> SERVICES = List.of("api", "checkout", "db", "cache");
  static final List<Integer> HOURS = List.of(3, 9, 15, 21);

  /** Ten slots: where each family's next trial goes. */
  private static final List<String> PATTERN =
      List.of(
          "single",
          "single",
          "pair",
          "single",
          "cascade",
          "single",
          "quiet",
          "single",
          "sequence",
          "single");

  /** The second fault of a sequence, long after the first was handled and its window closed. */
  static final long SEQUENCE_GAP_SECONDS = 900;

  private FaultMatrix() {}

  /** The first {@code trials} trials of the matrix for this seed. */
  static List<Scenario> trials(int trials, long seed) {
    if (trials < 1) {
      throw new IllegalArgumentException("trials must be >= 1, was " + trials);
    }
    Random random = new Random(seed);
    Map<String, List<Scenario.Planned[]>> families =
        Map.of(
            "single", singles(),
            "pair", pairs(),
            "cascade", cascades(),
            "sequence", sequences(),
            "quiet", List.<Scenario.Planned[]>of(new Scenario.Planned[0]));
    Map<String, List<Integer>> orders = new java.util.HashMap<>();
    Map<String, Integer> next = new java.util.HashMap<>();
    List<Scenario> scenarios = new ArrayList<>(trials);
    for (int index = 0; index < trials; index++) {
      String family = PATTERN.get(index % PATTERN.size());
      List<Scenario.Planned[]> members = families.get(family);
      int position = next.merge(family, 1, Integer::sum) - 1;
      int round = position / members.size();
      List<Integer> order =
          orders.computeIfAbsent(family + "/" + round, key -> shuffled(members.size(), random));
      Scenario.Planned[] faults = members.get(order.get(position % members.size()));
      int hour = HOURS.get(Math.floorMod(position + round + family.hashCode(), HOURS.size()));
      if (family.equals("single")) {
        // A single fault's hour is part of its cell of the matrix: kind x service x hour.
        hour = HOURS.get(order.get(position % members.size()) % HOURS.size());
      }
      scenarios.add(new Scenario(family, List.of(faults), hour, seed * 1_000_003L + index));
    }
    return List.copyOf(scenarios);
  }

  private static List<Integer> shuffled(int size, Random random) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    return order;
  }

  /** Every kind in every service, four times (one per hour of the cell). */
  private static List<Scenario.Planned[]> singles() {
    List<Scenario.Planned[]> singles = new ArrayList<>();
    for (FaultKind kind : FaultKind.values()) {
      for (String service : SERVICES) {
        for (int hour = 0; hour < HOURS.size(); hour++) {
          singles.add(new Scenario.Planned[] {new Scenario.Planned(kind, service, 0)});
        }
      }
    }
    return singles;
  }

  /** Two kinds at once in checkout and cache, which call neither each other nor a shared callee. */
  private static List<Scenario.Planned[]> pairs() {
    List<Scenario.Planned[]> pairs = new ArrayList<>();
    FaultKind[] kinds = FaultKind.values();
    for (int i = 0; i < kinds.length; i++) {
      FaultKind other = kinds[(i + 2) % kinds.length];
      pairs.add(
          new Scenario.Planned[] {
            new Scenario.Planned(kinds[i], "checkout", 0), new Scenario.Planned(other, "cache", 0)
          });
    }
    return pairs;
  }

  /** The root in db, whose trouble reaches checkout 3 s later and api 4 s after that. */
  private static List<Scenario.Planned[]> cascades() {
    return List.of(
        new Scenario.Planned[] {new Scenario.Planned(FaultKind.SATURATION, "db", 0)},
        new Scenario.Planned[] {new Scenario.Planned(FaultKind.LATENCY_SPIKE, "db", 0)});
  }

  /** One fault, then another kind in the same service a quarter of an hour later. */
  private static List<Scenario.Planned[]> sequences() {
    List<Scenario.Planned[]> sequences = new ArrayList<>();
    FaultKind[] kinds = FaultKind.values();
    for (int i = 0; i < kinds.length; i++) {
      sequences.add(
          new Scenario.Planned[] {
            new Scenario.Planned(kinds[i], "checkout", 0),
            new Scenario.Planned(kinds[(i + 1) % kinds.length], "checkout", SEQUENCE_GAP_SECONDS)
          });
    }
    return sequences;
  }
}
