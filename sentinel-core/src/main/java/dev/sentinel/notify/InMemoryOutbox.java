package dev.sentinel.notify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outbox in memory: for tests and for runs without a state store. Not durable: a restart
 * forgets pending deliveries (the PostgreSQL outbox is the durable one).
 */
public final class InMemoryOutbox implements Outbox {

  private static final class Row {
    final Delivery delivery;
    String status = "pending";
    int attempts;
    long dueAtMillis;
    String error = "";
    long finishedAtMillis;

    Row(Delivery delivery) {
      this.delivery = delivery;
      this.dueAtMillis = delivery.dueAtMillis();
    }
  }

  private final Map<Long, Row> rows = new TreeMap<>();
  private long nextId = 1;

  @Override
  public synchronized void enqueue(
      Notification notification, List<String> channels, long nowMillis) {
    for (String channel : channels) {
      long id = nextId++;
      rows.put(id, new Row(new Delivery(id, channel, notification, 0, nowMillis)));
    }
  }

  @Override
  public synchronized List<Delivery> claim(long nowMillis, int limit, long leaseMillis) {
    List<Row> due = new ArrayList<>();
    for (Row row : rows.values()) {
      if (row.status.equals("pending") && row.dueAtMillis <= nowMillis) {
        due.add(row);
      }
    }
    due.sort(Comparator.comparingLong((Row row) -> row.dueAtMillis));
    List<Delivery> claimed = new ArrayList<>();
    for (Row row : due.subList(0, Math.min(limit, due.size()))) {
      row.dueAtMillis = nowMillis + leaseMillis;
      Delivery stored = row.delivery;
      claimed.add(
          new Delivery(
              stored.id(), stored.channel(), stored.notification(), row.attempts, nowMillis));
    }
    return claimed;
  }

  @Override
  public synchronized void delivered(long id, int attempts, long atMillis) {
    finish(id, "delivered", attempts, atMillis, "");
  }

  @Override
  public synchronized void retry(long id, int attempts, long dueAtMillis, String error) {
    Row row = row(id);
    row.attempts = attempts;
    row.dueAtMillis = dueAtMillis;
    row.error = error;
  }

  @Override
  public synchronized void failed(long id, int attempts, long atMillis, String error) {
    finish(id, "failed", attempts, atMillis, error);
  }

  @Override
  public synchronized long forget(long finishedBeforeMillis) {
    int before = rows.size();
    rows.values()
        .removeIf(
            row -> !row.status.equals("pending") && row.finishedAtMillis < finishedBeforeMillis);
    return before - rows.size();
  }

  @Override
  public synchronized Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String status : List.of("pending", "delivered", "failed")) {
      counts.put(status, rows.values().stream().filter(row -> row.status.equals(status)).count());
    }
    return counts;
  }

  private void finish(long id, String status, int attempts, long atMillis, String error) {
    Row row = row(id);
    row.finishedAtMillis = atMillis;
    row.status = status;
    row.attempts = attempts;
    row.error = error;
  }

  private Row row(long id) {
    Row row = rows.get(id);
    if (row == null) {
      throw new IllegalArgumentException("no delivery " + id + " in the outbox");
    }
    return row;
  }
}
