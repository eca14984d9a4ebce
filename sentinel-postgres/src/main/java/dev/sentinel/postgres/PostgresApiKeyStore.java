package dev.sentinel.postgres;

import dev.sentinel.access.ApiKey;
import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.access.CreatedKey;
import dev.sentinel.access.KeyHasher;
import dev.sentinel.access.KeySecrets;
import dev.sentinel.access.Role;
import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditRecord;
import dev.sentinel.audit.AuditTrail;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;

/**
 * API keys in the {@code api_keys} table, looked up by the unique index on the secret's hash. The
 * hash is {@link KeyHasher peppered} with a secret that is not in the database, so a row inserted
 * with {@code psql} matches no secret anyone knows.
 *
 * <p>The audit entry is appended before the row changes, in its own transaction: the audit trail is
 * another port and may sit behind another pool, and holding a key row locked while waiting for a
 * second connection could starve a small pool. The cost is that a failed write can leave an entry
 * for a key change that did not happen; never the reverse.
 */
public final class PostgresApiKeyStore implements ApiKeyStore {

  private static final String COLUMNS = "id, name, role, created_at, revoked_at";

  private final DataSource dataSource;
  private final AuditTrail audit;
  private final Clock clock;
  private final KeyHasher hasher;
  private final RandomGenerator random;

  public PostgresApiKeyStore(
      DataSource dataSource, AuditTrail audit, Clock clock, KeyHasher hasher) {
    this(dataSource, audit, clock, hasher, new SecureRandom());
  }

  /** With a given source of randomness: a {@link SecureRandom} anywhere but in tests. */
  public PostgresApiKeyStore(
      DataSource dataSource,
      AuditTrail audit,
      Clock clock,
      KeyHasher hasher,
      RandomGenerator random) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public CreatedKey create(String name, Role role, String actor) {
    Objects.requireNonNull(role, "role");
    ApiKey.checkName(name);
    String secret = KeySecrets.newSecret(random);
    ApiKey key = new ApiKey(KeySecrets.newId(random), name, role, clock.millis(), null);
    audited(AuditAction.API_KEY_CREATED, actor, key, "generated");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO api_keys (id, name, role, secret_hash, created_at)"
                    + " VALUES (?, ?, ?, ?, ?)")) {
      bindNew(insert, key, hasher.hash(secret));
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new StateStoreException("cannot create API key '" + name + "': " + e.getMessage(), e);
    }
    return new CreatedKey(key, secret);
  }

  @Override
  public Optional<ApiKey> authenticate(String secret) {
    if (secret == null || secret.isBlank()) {
      return Optional.empty();
    }
    return findOne(
        "SELECT " + COLUMNS + " FROM api_keys WHERE secret_hash = ? AND revoked_at IS NULL",
        hasher.hash(secret));
  }

  @Override
  public List<ApiKey> list() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id");
        ResultSet rows = select.executeQuery()) {
      List<ApiKey> keys = new ArrayList<>();
      while (rows.next()) {
        keys.add(key(rows));
      }
      return keys;
    } catch (SQLException e) {
      throw new StateStoreException("cannot list API keys: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean revoke(String id, String actor) {
    Optional<ApiKey> active =
        findOne("SELECT " + COLUMNS + " FROM api_keys WHERE id = ? AND revoked_at IS NULL", id);
    if (active.isEmpty()) {
      return false;
    }
    audited(AuditAction.API_KEY_REVOKED, actor, active.get(), null);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
      update.setLong(1, clock.millis());
      update.setString(2, id);
      // 0 when a concurrent revocation got there first; its entry and ours both stand.
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StateStoreException("cannot revoke API key " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean hasActiveAdmin() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM api_keys WHERE role = 'admin'"
                    + " AND revoked_at IS NULL)");
        ResultSet row = select.executeQuery()) {
      row.next();
      return row.getBoolean(1);
    } catch (SQLException e) {
      throw new StateStoreException("cannot read API keys: " + e.getMessage(), e);
    }
  }

  @Override
  public ApiKey ensure(String name, Role role, String secret) {
    Objects.requireNonNull(role, "role");
    ApiKey.checkName(name);
    String hash = hasher.hash(KeySecrets.checkSupplied(secret));
    String byHash = "SELECT " + COLUMNS + " FROM api_keys WHERE secret_hash = ?";
    Optional<ApiKey> existing = findOne(byHash, hash);
    if (existing.isPresent()) {
      return existing.get();
    }
    ApiKey key = new ApiKey(KeySecrets.newId(random), name, role, clock.millis(), null);
    audited(AuditAction.API_KEY_CREATED, "sentinel", key, "supplied");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO api_keys (id, name, role, secret_hash, created_at)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (secret_hash) DO NOTHING")) {
      bindNew(insert, key, hash);
      if (insert.executeUpdate() == 1) {
        return key;
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot register API key '" + name + "': " + e.getMessage(), e);
    }
    // Another instance registered the same secret between our look-up and our insert.
    return findOne(byHash, hash).orElseThrow();
  }

  private void audited(AuditAction action, String actor, ApiKey key, String origin) {
    Map<String, String> details =
        origin == null
            ? Map.of("keyId", key.id(), "name", key.name(), "role", key.role().code())
            : Map.of(
                "keyId", key.id(), "name", key.name(), "role", key.role().code(), "origin", origin);
    audit.append(AuditRecord.of(clock.millis(), actor, action, null, details));
  }

  private static void bindNew(PreparedStatement insert, ApiKey key, String hash)
      throws SQLException {
    insert.setString(1, key.id());
    insert.setString(2, key.name());
    insert.setString(3, key.role().code());
    insert.setString(4, hash);
    insert.setLong(5, key.createdAtMillis());
  }

  private Optional<ApiKey> findOne(String sql, String parameter) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, parameter);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(key(row)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StateStoreException("cannot read API keys: " + e.getMessage(), e);
    }
  }

  private static ApiKey key(ResultSet row) throws SQLException {
    long revokedAt = row.getLong(5);
    Long revoked = row.wasNull() ? null : revokedAt;
    return new ApiKey(
        row.getString(1),
        row.getString(2),
        Role.fromCode(row.getString(3)),
        row.getLong(4),
        revoked);
  }
}
