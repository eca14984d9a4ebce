package dev.sentinel.postgres;

import dev.sentinel.access.KeyHasher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migration 32: API keys stored before the pepper existed (a plain SHA-256 of the secret) get the
 * peppered form, so they keep working. Flyway runs it exactly once per database, which is what
 * makes it safe: a plain hash inserted later is never upgraded and never matches. The class name is
 * Flyway's convention for a Java migration (version 32), given to Flyway with the pepper by {@link
 * PostgresDatabase} rather than found by scanning.
 */
@SuppressWarnings("checkstyle:TypeName")
final class V32__Pepper_api_key_hashes extends BaseJavaMigration {

  private static final Logger log = LoggerFactory.getLogger(V32__Pepper_api_key_hashes.class);

  private final KeyHasher hasher;

  V32__Pepper_api_key_hashes(KeyHasher hasher) {
    this.hasher = hasher;
  }

  @Override
  public void migrate(Context context) throws Exception {
    Connection connection = context.getConnection();
    Map<String, String> plain = new LinkedHashMap<>();
    try (PreparedStatement select =
            connection.prepareStatement("SELECT id, secret_hash FROM api_keys ORDER BY id");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        plain.put(rows.getString(1), rows.getString(2));
      }
    }
    try (PreparedStatement update =
        connection.prepareStatement("UPDATE api_keys SET secret_hash = ? WHERE id = ?")) {
      for (Map.Entry<String, String> key : plain.entrySet()) {
        update.setString(1, hasher.upgrade(key.getValue()));
        update.setString(2, key.getKey());
        update.addBatch();
      }
      update.executeBatch();
    }
    if (!plain.isEmpty()) {
      log.info("API keys: {} stored hashes upgraded to the peppered form", plain.size());
    }
  }
}
