package dev.sentinel.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.checkpoint.AbstractCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.Checkpoint;

/**
 * LangGraph4j checkpoints in PostgreSQL: the latest checkpoint of each thread, one row per thread
 * (upserted after every node). Older checkpoints are not kept: the workflow resumes from the latest
 * and never travels back in time. State values must be JSON-friendly (the workflow keeps text and
 * numbers only).
 *
 * <p>Writes to one thread are serialised by the workflow case lock held by whoever runs it.
 */
public final class JdbcCheckpointSaver extends AbstractCheckpointSaver {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> STATE =
      new TypeReference<>() {};

  private final DataSource dataSource;

  public JdbcCheckpointSaver(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  protected LinkedList<Checkpoint> loadCheckpoints(RunnableConfig config) throws Exception {
    LinkedList<Checkpoint> checkpoints = new LinkedList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT checkpoint_id, node_id, next_node_id, state::text FROM workflow_checkpoints"
                    + " WHERE thread_id = ?")) {
      select.setString(1, threadId(config));
      try (ResultSet row = select.executeQuery()) {
        if (row.next()) {
          checkpoints.add(
              Checkpoint.builder()
                  .id(row.getString(1))
                  .nodeId(row.getString(2))
                  .nextNodeId(row.getString(3))
                  .state(JSON.readValue(row.getString(4), STATE))
                  .build());
        }
      }
    }
    return checkpoints;
  }

  @Override
  protected void insertedCheckpoint(
      RunnableConfig config, LinkedList<Checkpoint> checkpoints, Checkpoint checkpoint)
      throws Exception {
    save(threadId(config), checkpoint);
  }

  @Override
  protected void updatedCheckpoint(
      RunnableConfig config, LinkedList<Checkpoint> checkpoints, Checkpoint checkpoint)
      throws Exception {
    if (checkpoints.peek() == checkpoint) {
      save(threadId(config), checkpoint);
    }
  }

  @Override
  protected Tag releaseCheckpoints(RunnableConfig config, LinkedList<Checkpoint> checkpoints)
      throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM workflow_checkpoints WHERE thread_id = ?")) {
      delete.setString(1, threadId(config));
      delete.executeUpdate();
    }
    return new Tag(threadId(config), List.copyOf(checkpoints));
  }

  private void save(String threadId, Checkpoint checkpoint) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement upsert =
            connection.prepareStatement(
                "INSERT INTO workflow_checkpoints (thread_id, checkpoint_id, node_id, next_node_id,"
                    + " state, updated_at) VALUES (?, ?, ?, ?, ?::jsonb, ?)"
                    + " ON CONFLICT (thread_id) DO UPDATE SET checkpoint_id = EXCLUDED.checkpoint_id,"
                    + " node_id = EXCLUDED.node_id, next_node_id = EXCLUDED.next_node_id,"
                    + " state = EXCLUDED.state, updated_at = EXCLUDED.updated_at")) {
      upsert.setString(1, threadId);
      upsert.setString(2, checkpoint.getId());
      upsert.setString(3, checkpoint.getNodeId());
      upsert.setString(4, checkpoint.getNextNodeId());
      upsert.setString(5, json(checkpoint.getState()));
      upsert.setLong(6, System.currentTimeMillis());
      upsert.executeUpdate();
    }
  }

  private static String json(Map<String, Object> state) throws SQLException {
    try {
      return JSON.writeValueAsString(state);
    } catch (JsonProcessingException e) {
      throw new SQLException("workflow state is not JSON-friendly: " + e.getOriginalMessage(), e);
    }
  }
}
