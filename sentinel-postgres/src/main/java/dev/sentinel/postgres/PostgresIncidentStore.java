package dev.sentinel.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.detect.Anomaly;
import dev.sentinel.incident.Attachment;
import dev.sentinel.incident.Handling;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentFilter;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.IncidentStore;
import dev.sentinel.incident.Incidents;
import dev.sentinel.incident.Severity;
import dev.sentinel.incident.TimelineEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Incidents in PostgreSQL. Attaching locks the newest incident of the group ({@code SELECT ... FOR
 * UPDATE}); a partial unique index allows one unresolved incident per group, so when two instances
 * race to open the same group's incident, one insert fails and that instance retries and attaches
 * instead.
 */
public final class PostgresIncidentStore implements IncidentStore {

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String COLUMNS =
      "id, group_key, group_labels::text, status, severity, opened_at, last_anomaly_at,"
          + " resolved_at, anomaly_count, max_score, max_confidence, series::text, resolution,"
          + " acknowledged_by, acknowledged_at, assignee, owner, severity_pinned";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource dataSource;

  public PostgresIncidentStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Attachment attach(
      String groupKey,
      Map<String, String> groupLabels,
      Anomaly anomaly,
      long reopenWindowMillis,
      int maxAnomaliesKept,
      Supplier<String> newId) {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(false);
        try {
          Attachment attachment =
              attachLocked(
                  connection,
                  groupKey,
                  groupLabels,
                  anomaly,
                  reopenWindowMillis,
                  maxAnomaliesKept,
                  newId);
          connection.commit();
          return attachment;
        } catch (SQLException e) {
          connection.rollback();
          if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || attempt == 3) {
            throw e;
          }
        }
      } catch (SQLException e) {
        throw new StateStoreException(
            "cannot attach an anomaly to an incident: " + e.getMessage(), e);
      }
    }
  }

  private Attachment attachLocked(
      Connection connection,
      String groupKey,
      Map<String, String> groupLabels,
      Anomaly anomaly,
      long reopenWindowMillis,
      int maxAnomaliesKept,
      Supplier<String> newId)
      throws SQLException {
    Incident latest = null;
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM incidents WHERE group_key = ?"
                + " ORDER BY opened_at DESC LIMIT 1 FOR UPDATE")) {
      select.setString(1, groupKey);
      try (ResultSet row = select.executeQuery()) {
        if (row.next()) {
          latest = incident(row, List.of());
        }
      }
    }
    if (latest == null
        || (!latest.status().isOpen() && !Incidents.flaps(latest, anomaly, reopenWindowMillis))) {
      Incident opened = Incidents.opened(newId.get(), groupKey, groupLabels, anomaly);
      insert(connection, opened);
      keepAnomaly(connection, opened.id(), 0, anomaly);
      return new Attachment(opened, Attachment.Outcome.OPENED, true);
    }
    Attachment.Outcome outcome =
        latest.status().isOpen() ? Attachment.Outcome.ATTACHED : Attachment.Outcome.REOPENED;
    Incident base = outcome == Attachment.Outcome.REOPENED ? Incidents.reopened(latest) : latest;
    boolean newSeries = !base.series().contains(anomaly.series().text());
    Incident updated = Incidents.with(base, anomaly, Integer.MAX_VALUE);
    update(connection, updated, newSeries);
    if (latest.anomalyCount() < maxAnomaliesKept) {
      keepAnomaly(connection, latest.id(), latest.anomalyCount(), anomaly);
    }
    return new Attachment(updated, outcome, newSeries);
  }

  private static void insert(Connection connection, Incident incident) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO incidents (id, group_key, group_labels, status, severity, service,"
                + " opened_at, last_anomaly_at, resolved_at, anomaly_count, max_score,"
                + " max_confidence, series, resolution)"
                + " VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)")) {
      insert.setString(1, incident.id());
      insert.setString(2, incident.groupKey());
      insert.setString(3, json(new TreeMap<>(incident.groupLabels())));
      insert.setString(4, incident.status().code());
      insert.setString(5, incident.severity().name());
      insert.setString(6, incident.service());
      insert.setLong(7, incident.openedAtMillis());
      insert.setLong(8, incident.lastAnomalyAtMillis());
      insert.setLong(9, incident.resolvedAtMillis());
      insert.setInt(10, incident.anomalyCount());
      insert.setDouble(11, incident.maxScore());
      insert.setDouble(12, incident.maxConfidence());
      insert.setString(13, json(new ArrayList<>(incident.series())));
      insert.setString(14, incident.resolution());
      insert.executeUpdate();
    }
  }

  private static void update(Connection connection, Incident incident, boolean newSeries)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE incidents SET status = ?, severity = ?, last_anomaly_at = ?, resolved_at = ?,"
                + " anomaly_count = ?, max_score = ?, max_confidence = ?, resolution = ?,"
                + " acknowledged_by = ?, acknowledged_at = ?, assignee = ?, owner = ?,"
                + " severity_pinned = ?"
                + (newSeries ? ", series = ?::jsonb" : "")
                + " WHERE id = ?")) {
      int i = 1;
      update.setString(i++, incident.status().code());
      update.setString(i++, incident.severity().name());
      update.setLong(i++, incident.lastAnomalyAtMillis());
      update.setLong(i++, incident.resolvedAtMillis());
      update.setInt(i++, incident.anomalyCount());
      update.setDouble(i++, incident.maxScore());
      update.setDouble(i++, incident.maxConfidence());
      update.setString(i++, incident.resolution());
      Handling handling = incident.handling();
      update.setString(i++, handling.acknowledgedBy());
      update.setLong(i++, handling.acknowledgedAtMillis());
      update.setString(i++, handling.assignee());
      update.setString(i++, handling.owner());
      update.setBoolean(i++, handling.severityPinned());
      if (newSeries) {
        update.setString(i++, json(new ArrayList<>(incident.series())));
      }
      update.setString(i, incident.id());
      update.executeUpdate();
    }
  }

  private static void keepAnomaly(Connection connection, String id, int position, Anomaly anomaly)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO incident_anomalies (incident_id, position, anomaly) VALUES (?, ?, ?::jsonb)"
                + " ON CONFLICT DO NOTHING")) {
      insert.setString(1, id);
      insert.setInt(2, position);
      insert.setString(3, json(anomaly));
      insert.executeUpdate();
    }
  }

  @Override
  public Optional<Incident> find(String id) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT " + COLUMNS + " FROM incidents WHERE id = ?")) {
      select.setString(1, id);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(incident(row, keptAnomalies(connection, id)));
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot read incident " + id + ": " + e.getMessage(), e);
    }
  }

  private static List<Anomaly> keptAnomalies(Connection connection, String id) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT anomaly::text FROM incident_anomalies WHERE incident_id = ? ORDER BY position")) {
      select.setString(1, id);
      List<Anomaly> anomalies = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          anomalies.add(parse(rows.getString(1), new TypeReference<Anomaly>() {}));
        }
      }
      return anomalies;
    }
  }

  @Override
  public List<Incident> list(IncidentFilter filter, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM incidents WHERE TRUE");
    List<Object> parameters = new ArrayList<>();
    if (!filter.statuses().isEmpty()) {
      sql.append(" AND status = ANY (?)");
      parameters.add(filter.statuses().stream().map(IncidentStatus::code).toArray(String[]::new));
    }
    if (filter.service() != null) {
      sql.append(" AND service = ?");
      parameters.add(filter.service());
    }
    if (filter.severity() != null) {
      sql.append(" AND severity = ?");
      parameters.add(filter.severity().name());
    }
    if (filter.sinceMillis() != null) {
      sql.append(" AND last_anomaly_at >= ?");
      parameters.add(filter.sinceMillis());
    }
    if (filter.beforeOpenedAtMillis() != null) {
      sql.append(" AND opened_at < ?");
      parameters.add(filter.beforeOpenedAtMillis());
    }
    sql.append(" ORDER BY opened_at DESC, id DESC LIMIT ?");
    parameters.add(limit);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql.toString())) {
      for (int i = 0; i < parameters.size(); i++) {
        Object parameter = parameters.get(i);
        if (parameter instanceof String[] array) {
          select.setArray(i + 1, connection.createArrayOf("text", array));
        } else {
          select.setObject(i + 1, parameter);
        }
      }
      List<Incident> incidents = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          incidents.add(incident(rows, List.of()));
        }
      }
      return incidents;
    } catch (SQLException e) {
      throw new StateStoreException("cannot list incidents: " + e.getMessage(), e);
    }
  }

  @Override
  public Incident transition(String id, IncidentStatus to, long atMillis, String resolution) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Incident current = locked(connection, id);
        current.status().checkTransition(to);
        Incident moved = Incidents.moved(current, to, atMillis, resolution);
        update(connection, moved, false);
        connection.commit();
        return moved;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot move incident " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Incident update(String id, UnaryOperator<Incident> change) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Incident current = locked(connection, id);
        Incident changed = change.apply(current);
        if (!changed.id().equals(id)) {
          throw new IllegalArgumentException("an update may not change the incident's id");
        }
        update(connection, changed, false);
        connection.commit();
        return changed;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot update incident " + id + ": " + e.getMessage(), e);
    }
  }

  /** The incident, its row locked until the transaction ends. */
  private static Incident locked(Connection connection, String id) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM incidents WHERE id = ? FOR UPDATE")) {
      select.setString(1, id);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new NoSuchElementException("no incident with id '" + id + "'");
        }
        return incident(row, List.of());
      }
    }
  }

  @Override
  public void record(TimelineEvent event) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO incident_events (incident_id, at_millis, kind, actor, summary,"
                    + " details) VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
      insert.setString(1, event.incidentId());
      insert.setLong(2, event.atMillis());
      insert.setString(3, event.kind());
      insert.setString(4, event.actor());
      insert.setString(5, event.summary());
      insert.setString(6, json(event.details()));
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new StateStoreException(
          "cannot record on the timeline of " + event.incidentId() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<TimelineEvent> timeline(String id, int limit) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT at_millis, kind, actor, summary, details::text FROM incident_events"
                    + " WHERE incident_id = ? ORDER BY id LIMIT ?")) {
      select.setString(1, id);
      select.setInt(2, limit);
      List<TimelineEvent> events = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          events.add(
              new TimelineEvent(
                  id,
                  rows.getLong(1),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4),
                  parse(rows.getString(5), new TypeReference<TreeMap<String, String>>() {})));
        }
      }
      return events;
    } catch (SQLException e) {
      throw new StateStoreException("cannot read the timeline of " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Totals totals() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT COALESCE(SUM(anomaly_count), 0), COUNT(*),"
                    + " COUNT(*) FILTER (WHERE status <> 'resolved') FROM incidents");
        ResultSet row = select.executeQuery()) {
      row.next();
      return new Totals(row.getLong(1), row.getLong(2), row.getLong(3));
    } catch (SQLException e) {
      throw new StateStoreException("cannot count incidents: " + e.getMessage(), e);
    }
  }

  private static Incident incident(ResultSet row, List<Anomaly> anomalies) throws SQLException {
    return new Incident(
        row.getString(1),
        row.getString(2),
        parse(row.getString(3), new TypeReference<TreeMap<String, String>>() {}),
        IncidentStatus.fromCode(row.getString(4)),
        Severity.valueOf(row.getString(5)),
        row.getLong(6),
        row.getLong(7),
        row.getLong(8),
        row.getInt(9),
        row.getDouble(10),
        row.getDouble(11),
        parse(row.getString(12), new TypeReference<LinkedHashSet<String>>() {}),
        anomalies,
        row.getString(13),
        new Handling(
            row.getString(14),
            row.getLong(15),
            row.getString(16),
            row.getString(17),
            row.getBoolean(18)));
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  private static <T> T parse(String text, TypeReference<T> type) throws SQLException {
    try {
      return JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable stored value: " + e.getOriginalMessage(), e);
    }
  }
}
