package dev.sentinel.simulator;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The versions of one service: the one running, those it replaced (newest first, what rollbacks
 * return to) and those known to be defective. Not thread-safe: {@link Fleet} guards it.
 */
final class Releases {

  private final String service;
  private final ArrayDeque<String> previous = new ArrayDeque<>();
  private final Set<String> defective = new HashSet<>();
  private String current;

  Releases(String service, String initial) {
    this.service = service;
    this.current = initial;
  }

  String current() {
    return current;
  }

  /** The version a rollback would return to, or {@code null}. */
  String previous() {
    return previous.peek();
  }

  boolean currentIsDefective() {
    return defective.contains(current);
  }

  void deploy(String version) {
    if (version.equals(current)) {
      throw new SimulatorException(service + " already runs version " + current);
    }
    previous.push(current);
    current = version;
  }

  void rollback() {
    if (previous.isEmpty()) {
      throw new SimulatorException(
          "cannot roll back " + service + ": no version before " + current + " was deployed");
    }
    current = previous.pop();
  }

  void markDefective(String version) {
    defective.add(version);
  }

  /** Marks the version after the current one defective and returns it, ready to deploy. */
  String nextDefective() {
    String next = next(current);
    defective.add(next);
    return next;
  }

  void forgetDefects() {
    defective.clear();
  }

  /** The versions this one replaced, newest first. */
  List<String> previousVersions() {
    return List.copyOf(previous);
  }

  SortedSet<String> defectiveVersions() {
    return new TreeSet<>(defective);
  }

  /** Replaces the whole history with a saved one ({@code previousVersions} newest first). */
  void restoreState(String version, List<String> previousVersions, Set<String> defectiveVersions) {
    current = version;
    previous.clear();
    previous.addAll(previousVersions);
    defective.clear();
    defective.addAll(defectiveVersions);
  }

  /** The version after this one: its trailing number plus one ({@code v1.8.3} → {@code v1.8.4}). */
  static String next(String version) {
    int digits = version.length();
    while (digits > 0 && Character.isDigit(version.charAt(digits - 1))) {
      digits--;
    }
    if (digits == version.length()) {
      return version + ".1";
    }
    long number = Long.parseLong(version.substring(digits));
    return version.substring(0, digits) + (number + 1);
  }
}
