package dev.sentinel.workflow;

import dev.sentinel.execute.ActionResult;
import dev.sentinel.execute.PriorState;
import dev.sentinel.plan.Action;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The action journal in memory: for tests and for running without a state store. */
public final class InMemoryActionJournal implements ActionJournal {

  private final Map<String, Entry> entries = new HashMap<>();

  @Override
  public synchronized Optional<Entry> find(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  @Override
  public synchronized void started(String key, String incidentId, Action action, PriorState prior) {
    entries.putIfAbsent(key, new Entry(key, action, prior, null));
  }

  @Override
  public synchronized boolean finished(String key, ActionResult result) {
    Entry entry = entries.get(key);
    if (entry == null) {
      throw new IllegalStateException("action " + key + " finished but was never started");
    }
    if (entry.result() != null) {
      return false;
    }
    entries.put(key, new Entry(key, entry.action(), entry.prior(), result));
    return true;
  }

  /** How many actions were journaled, for tests. */
  public synchronized int size() {
    return entries.size();
  }
}
