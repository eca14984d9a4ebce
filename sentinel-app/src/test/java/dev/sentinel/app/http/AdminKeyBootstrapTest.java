package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.access.ApiKey;
import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.access.Role;
import dev.sentinel.audit.AuditTrail;
import dev.sentinel.postgres.PostgresApiKeyStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminKeyBootstrapTest {

  private static final Pattern SHOWN =
      Pattern.compile("Admin API key \\(shown once\\): (snt_\\S+)");

  private ApiKeyStore keys;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @BeforeEach
  void fresh() {
    TestStateStore.reset();
    AuditTrail audit = TestStateStore.auditTrail();
    keys =
        new PostgresApiKeyStore(
            TestStateStore.dataSource(), audit, Clock.systemUTC(), TestStateStore.keyHasher());
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void a_fresh_store_gets_an_admin_key_printed_once() {
    AdminKeyBootstrap.run(keys, true, null, out);
    Matcher shown = SHOWN.matcher(printed());
    assertThat(shown.find()).as(printed()).isTrue();
    ApiKey admin = keys.authenticate(shown.group(1)).orElseThrow();
    assertThat(admin.role()).isEqualTo(Role.ADMIN);

    printed.reset();
    AdminKeyBootstrap.run(keys, true, null, out);
    assertThat(printed()).as("a second start prints nothing").isEmpty();
    assertThat(keys.list()).hasSize(1);
  }

  @Test
  void a_supplied_key_is_registered_idempotently_and_nothing_is_printed() {
    String secret = "k".repeat(48);
    AdminKeyBootstrap.run(keys, true, secret, out);
    AdminKeyBootstrap.run(keys, true, " " + secret + "\n", out);
    assertThat(printed()).isEmpty();
    assertThat(keys.list()).singleElement().extracting(ApiKey::role).isEqualTo(Role.ADMIN);
    assertThat(keys.authenticate(secret)).isPresent();
  }

  @Test
  void a_weak_supplied_key_stops_the_start_naming_the_variable() {
    assertThatThrownBy(() -> AdminKeyBootstrap.run(keys, true, "changeme", out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("SENTINEL_ADMIN_KEY: ")
        .hasMessageContaining("at least 32 characters");
  }

  @Test
  void with_auth_disabled_no_key_is_generated() {
    AdminKeyBootstrap.run(keys, false, null, out);
    assertThat(printed()).isEmpty();
    assertThat(keys.list()).isEmpty();
  }

  @Test
  void revoking_the_only_admin_gets_a_new_one_at_the_next_start() {
    AdminKeyBootstrap.run(keys, true, null, out);
    keys.revoke(keys.list().getFirst().id(), "cli:alice");
    printed.reset();
    AdminKeyBootstrap.run(keys, true, null, out);
    assertThat(SHOWN.matcher(printed()).find()).isTrue();
    assertThat(keys.hasActiveAdmin()).isTrue();
  }
}
