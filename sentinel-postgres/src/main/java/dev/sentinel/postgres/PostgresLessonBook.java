package dev.sentinel.postgres;

import dev.sentinel.learn.Lesson;
import dev.sentinel.learn.LessonBook;
import dev.sentinel.verify.Recovery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Lessons in PostgreSQL, shared by every instance. */
public final class PostgresLessonBook implements LessonBook {

  private final DataSource dataSource;

  public PostgresLessonBook(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void record(Lesson lesson) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement upsert =
            connection.prepareStatement(
                "INSERT INTO lessons (incident_id, cause, operation, service, recovery, at_millis)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (incident_id, cause, operation) DO"
                    + " UPDATE SET recovery = EXCLUDED.recovery, at_millis = EXCLUDED.at_millis")) {
      upsert.setString(1, lesson.incidentId());
      upsert.setString(2, lesson.cause());
      upsert.setString(3, lesson.operation());
      upsert.setString(4, lesson.service());
      upsert.setString(5, lesson.recovery().name());
      upsert.setLong(6, lesson.atMillis());
      upsert.executeUpdate();
    } catch (SQLException e) {
      throw new StateStoreException("cannot record a lesson: " + e.getMessage(), e);
    }
  }

  @Override
  public List<Lesson> forCause(String cause, int limit) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT incident_id, cause, service, operation, recovery, at_millis FROM lessons"
                    + " WHERE cause = ? ORDER BY at_millis DESC LIMIT ?")) {
      select.setString(1, cause);
      select.setInt(2, limit);
      List<Lesson> lessons = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          lessons.add(
              new Lesson(
                  rows.getString(1),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4),
                  Recovery.valueOf(rows.getString(5)),
                  rows.getLong(6)));
        }
      }
      return lessons;
    } catch (SQLException e) {
      throw new StateStoreException("cannot read lessons: " + e.getMessage(), e);
    }
  }

  @Override
  public int netSuccesses(String cause, String operation) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT COALESCE(SUM(CASE recovery WHEN 'RECOVERED' THEN 1 ELSE -1 END), 0)"
                    + " FROM lessons WHERE cause = ? AND operation = ?")) {
      select.setString(1, cause);
      select.setString(2, operation);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot read lessons: " + e.getMessage(), e);
    }
  }
}
