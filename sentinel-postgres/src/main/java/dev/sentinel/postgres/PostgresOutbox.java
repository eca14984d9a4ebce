package dev.sentinel.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.notify.Delivery;
import dev.sentinel.notify.Notification;
import dev.sentinel.notify.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The notification outbox in PostgreSQL. Claims take rows with {@code FOR UPDATE SKIP LOCKED} and
 * push their due time forward by the lease in the same statement, so instances sharing the database
 * never claim one delivery twice while its lease runs.
 */
public final class PostgresOutbox implements Outbox {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

  private final DataSource dataSource;

  public PostgresOutbox(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void enqueue(Notification notification, List<String> channels, long nowMillis) {
    String fields = json(notification.fields());
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO notification_outbox (channel, kind, incident_id, fields, created_at,"
                    + " due_at) VALUES (?, ?, ?, ?::jsonb, ?, ?)")) {
      for (String channel : channels) {
        insert.setString(1, channel);
        insert.setString(2, notification.kind());
        insert.setString(3, notification.incidentId());
        insert.setString(4, fields);
        insert.setLong(5, nowMillis);
        insert.setLong(6, nowMillis);
        insert.addBatch();
      }
      insert.executeBatch();
    } catch (SQLException e) {
      throw new StateStoreException(
          "cannot queue "
              + notification.kind()
              + " of "
              + notification.incidentId()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public List<Delivery> claim(long nowMillis, int limit, long leaseMillis) {
    String sql =
        "UPDATE notification_outbox SET due_at = ? WHERE id IN (SELECT id FROM notification_outbox"
            + " WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ? FOR UPDATE SKIP"
            + " LOCKED) RETURNING id, channel, kind, fields::text, attempts, created_at";
    List<Delivery> claimed = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update = connection.prepareStatement(sql)) {
      update.setLong(1, nowMillis + leaseMillis);
      update.setLong(2, nowMillis);
      update.setInt(3, limit);
      try (ResultSet rows = update.executeQuery()) {
        while (rows.next()) {
          Notification notification =
              Notification.fromFields(rows.getString(3), fields(rows.getString(4)));
          claimed.add(
              new Delivery(
                  rows.getLong(1), rows.getString(2), notification, rows.getInt(5), nowMillis));
        }
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot claim notifications: " + e.getMessage(), e);
    }
    // RETURNING gives no order; the oldest is attempted first.
    claimed.sort(java.util.Comparator.comparingLong(Delivery::id));
    return claimed;
  }

  @Override
  public void delivered(long id, int attempts, long atMillis) {
    update(
        "UPDATE notification_outbox SET status = 'delivered', attempts = ?, finished_at = ?,"
            + " last_error = '' WHERE id = ?",
        id,
        attempts,
        atMillis,
        null);
  }

  @Override
  public void retry(long id, int attempts, long dueAtMillis, String error) {
    update(
        "UPDATE notification_outbox SET attempts = ?, due_at = ?, last_error = ? WHERE id = ?",
        id,
        attempts,
        dueAtMillis,
        error);
  }

  @Override
  public void failed(long id, int attempts, long atMillis, String error) {
    update(
        "UPDATE notification_outbox SET status = 'failed', attempts = ?, finished_at = ?,"
            + " last_error = ? WHERE id = ?",
        id,
        attempts,
        atMillis,
        error);
  }

  @Override
  public long forget(long finishedBeforeMillis) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM notification_outbox WHERE status <> 'pending' AND finished_at < ?")) {
      delete.setLong(1, finishedBeforeMillis);
      return delete.executeUpdate();
    } catch (SQLException e) {
      throw new StateStoreException("cannot prune the outbox: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("pending", 0L);
    counts.put("delivered", 0L);
    counts.put("failed", 0L);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT status, count(*) FROM notification_outbox GROUP BY status");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getLong(2));
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot count notifications: " + e.getMessage(), e);
    }
    return counts;
  }

  /** Sets attempts and a time, and the error when the statement has a fourth parameter. */
  private void update(String sql, long id, int attempts, long atMillis, String error) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update = connection.prepareStatement(sql)) {
      int index = 1;
      update.setInt(index++, attempts);
      update.setLong(index++, atMillis);
      if (error != null) {
        update.setString(index++, error.length() > 2_000 ? error.substring(0, 2_000) : error);
      }
      update.setLong(index, id);
      if (update.executeUpdate() != 1) {
        throw new IllegalArgumentException("no delivery " + id + " in the outbox");
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot record delivery " + id + ": " + e.getMessage(), e);
    }
  }

  private static String json(Map<String, String> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings is always JSON", e);
    }
  }

  private static Map<String, String> fields(String json) {
    try {
      return JSON.readValue(json, FIELDS);
    } catch (JsonProcessingException e) {
      throw new StateStoreException("a stored notification is not JSON: " + e.getMessage(), e);
    }
  }
}
