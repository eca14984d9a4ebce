package dev.sentinel.notify;

import java.util.HashMap;
import java.util.Map;

/** The replay guard of one process: for tests and single-instance runs without a state store. */
public final class InMemoryReplayGuard implements ReplayGuard {

  private final Map<String, Long> seen = new HashMap<>();

  @Override
  public synchronized boolean firstSeen(String key, long nowMillis, long forgetBeforeMillis) {
    seen.values().removeIf(at -> at < forgetBeforeMillis);
    return seen.putIfAbsent(key, nowMillis) == null;
  }
}
