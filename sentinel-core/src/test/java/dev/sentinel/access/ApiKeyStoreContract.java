package dev.sentinel.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.audit.AuditAction;
import dev.sentinel.audit.AuditEntry;
import dev.sentinel.audit.AuditQuery;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.audit.Verification;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ApiKeyStore} adapter must have. An adapter's test extends this and
 * supplies a fresh, empty store that audits to {@link #audit()}, and a raw view of its storage.
 */
public abstract class ApiKeyStoreContract {

  private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  /** A new store with no keys, reading time from {@code clock} and auditing to {@link #audit()}. */
  protected abstract ApiKeyStore store(Clock clock);

  /** The (empty at the start of each test) trail the store audits to. */
  protected abstract AuditTrail audit();

  /** Everything the store has written about keys, as text, read behind its back. */
  protected abstract String storedText();

  private ApiKeyStore store() {
    return store(new SteppingClock(START));
  }

  @Test
  void a_created_key_authenticates_with_its_secret() {
    ApiKeyStore store = store();
    CreatedKey created = store.create("otel-collector", Role.INGEST, "cli:alice");
    assertThat(created.secret()).matches("snt_[0-9A-Za-z]{43}");
    assertThat(created.key().id()).startsWith("key_");
    assertThat(created.key().name()).isEqualTo("otel-collector");
    assertThat(created.key().role()).isEqualTo(Role.INGEST);
    assertThat(created.key().active()).isTrue();
    assertThat(created.key().createdAtMillis()).isGreaterThanOrEqualTo(START);
    assertThat(created.toString()).doesNotContain(created.secret());
    assertThat(store.authenticate(created.secret())).contains(created.key());
  }

  @Test
  void unknown_blank_and_null_secrets_do_not_authenticate() {
    ApiKeyStore store = store();
    CreatedKey created = store.create("ci", Role.VIEWER, "cli:alice");
    assertThat(store.authenticate(created.secret() + "x")).isEmpty();
    assertThat(store.authenticate(created.secret().toUpperCase(java.util.Locale.ROOT))).isEmpty();
    assertThat(store.authenticate("")).isEmpty();
    assertThat(store.authenticate(null)).isEmpty();
  }

  @Test
  void only_a_hash_of_the_secret_is_stored() {
    ApiKeyStore store = store();
    CreatedKey created = store.create("grafana", Role.VIEWER, "cli:alice");
    String stored = storedText();
    assertThat(stored).contains(created.key().id());
    assertThat(stored).doesNotContain(created.secret());
    assertThat(stored).doesNotContain(created.secret().substring(4));
  }

  @Test
  void every_key_has_its_own_id_and_secret_and_list_is_oldest_first() {
    ApiKeyStore store = store();
    Set<String> secrets = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      CreatedKey created = store.create("agent-" + i, Role.INGEST, "cli:alice");
      secrets.add(created.secret());
      ids.add(created.key().id());
    }
    assertThat(secrets).hasSize(20);
    assertThat(ids).hasSize(20);
    List<ApiKey> listed = store.list();
    assertThat(listed)
        .extracting(ApiKey::name)
        .startsWith("agent-0", "agent-1")
        .endsWith("agent-19");
    assertThat(listed).extracting(ApiKey::id).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void a_revoked_key_stops_authenticating_and_stays_listed() {
    ApiKeyStore store = store();
    CreatedKey created = store.create("laptop", Role.OPERATOR, "cli:alice");
    assertThat(store.revoke(created.key().id(), "cli:bob")).isTrue();
    assertThat(store.authenticate(created.secret())).isEmpty();
    ApiKey listed = store.list().getFirst();
    assertThat(listed.id()).isEqualTo(created.key().id());
    assertThat(listed.active()).isFalse();
    assertThat(listed.revokedAtMillis()).isGreaterThan(listed.createdAtMillis());
    assertThat(store.revoke(created.key().id(), "cli:bob")).as("second revocation").isFalse();
    assertThat(store.revoke("key_nonexistent", "cli:bob")).isFalse();
  }

  @Test
  void only_an_active_admin_counts_as_an_admin() {
    ApiKeyStore store = store();
    assertThat(store.hasActiveAdmin()).isFalse();
    store.create("ops", Role.OPERATOR, "cli:alice");
    assertThat(store.hasActiveAdmin()).isFalse();
    CreatedKey admin = store.create("root", Role.ADMIN, "cli:alice");
    assertThat(store.hasActiveAdmin()).isTrue();
    store.revoke(admin.key().id(), "cli:alice");
    assertThat(store.hasActiveAdmin()).isFalse();
  }

  @Test
  void ensure_registers_a_known_secret_once() {
    ApiKeyStore store = store();
    String secret = "snt_bootstrap_" + "0123456789".repeat(4);
    ApiKey first = store.ensure("bootstrap admin", Role.ADMIN, secret);
    ApiKey second = store.ensure("bootstrap admin", Role.ADMIN, secret);
    assertThat(second).isEqualTo(first);
    assertThat(store.authenticate(secret)).contains(first);
    assertThat(store.list()).hasSize(1);
    assertThat(
            audit()
                .find(new AuditQuery(null, AuditAction.API_KEY_CREATED, null, null, null, 0, 10)))
        .hasSize(1)
        .allSatisfy(entry -> assertThat(entry.record().actor()).isEqualTo("sentinel"));
  }

  @Test
  void ensure_does_not_revive_a_revoked_key_or_accept_a_weak_secret() {
    ApiKeyStore store = store();
    String secret = "x".repeat(40);
    ApiKey key = store.ensure("bootstrap admin", Role.ADMIN, secret);
    store.revoke(key.id(), "cli:alice");
    ApiKey again = store.ensure("bootstrap admin", Role.ADMIN, secret);
    assertThat(again.id()).isEqualTo(key.id());
    assertThat(again.active()).isFalse();
    assertThat(store.authenticate(secret)).isEmpty();
    assertThatThrownBy(() -> store.ensure("weak", Role.ADMIN, "admin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 characters");
  }

  @Test
  void bad_names_are_refused_before_anything_is_written() {
    ApiKeyStore store = store();
    assertThatThrownBy(() -> store.create(" ", Role.VIEWER, "cli:alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> store.create("n".repeat(101), Role.VIEWER, "cli:alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 100");
    assertThat(store.list()).isEmpty();
    assertThat(audit().find(AuditQuery.all(10))).isEmpty();
  }

  @Test
  void creation_and_revocation_are_audited_without_the_secret() {
    ApiKeyStore store = store();
    CreatedKey created = store.create("deploy-bot", Role.OPERATOR, "admin [key_abc]");
    store.revoke(created.key().id(), "cli:bob");

    List<AuditEntry> entries = audit().find(AuditQuery.all(10));
    assertThat(entries)
        .extracting(entry -> entry.record().action())
        .containsExactly(AuditAction.API_KEY_CREATED, AuditAction.API_KEY_REVOKED);
    AuditEntry creation = entries.getFirst();
    assertThat(creation.record().actor()).isEqualTo("admin [key_abc]");
    assertThat(creation.record().details())
        .containsEntry("keyId", created.key().id())
        .containsEntry("name", "deploy-bot")
        .containsEntry("role", "operator");
    AuditEntry revocation = entries.getLast();
    assertThat(revocation.record().actor()).isEqualTo("cli:bob");
    assertThat(revocation.record().details()).containsEntry("keyId", created.key().id());
    String hash = KeySecrets.hash(created.secret());
    for (AuditEntry entry : entries) {
      assertThat(entry.record().details().toString())
          .doesNotContain(created.secret())
          .doesNotContain(hash);
    }
    assertThat(audit().verify()).isInstanceOf(Verification.Intact.class);
  }
}
