package dev.sentinel.app.http;

import dev.sentinel.access.ApiKey;
import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.access.CreatedKey;
import dev.sentinel.access.Role;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure someone can administer a fresh installation. Run once at start, after the state store
 * is open and before the API serves:
 *
 * <ul>
 *   <li>{@code SENTINEL_ADMIN_KEY} set: that secret is registered as an admin key (idempotent), so
 *       deployments that keep the key in a secret manager never see a generated one. A revoked
 *       bootstrap key stays revoked; a warning says so.
 *   <li>otherwise, with auth enabled and no active admin key: one is generated and printed once on
 *       standard output, never logged (a JSON log pipeline would keep it forever).
 * </ul>
 *
 * <p>Two instances starting together on an empty external store may each generate one; both work,
 * and either can be revoked.
 */
public final class AdminKeyBootstrap {

  private static final Logger log = LoggerFactory.getLogger(AdminKeyBootstrap.class);

  static final String SUPPLIED_NAME = "bootstrap admin (SENTINEL_ADMIN_KEY)";
  static final String GENERATED_NAME = "bootstrap admin";

  private AdminKeyBootstrap() {}

  /**
   * @param suppliedSecret the value of {@code SENTINEL_ADMIN_KEY}, or null
   * @param out where a generated key is shown (standard output)
   * @throws IllegalArgumentException when the supplied secret is too weak (fail at start)
   */
  public static void run(
      ApiKeyStore keys, boolean authEnabled, String suppliedSecret, PrintStream out) {
    if (suppliedSecret != null && !suppliedSecret.isBlank()) {
      ApiKey key;
      try {
        key = keys.ensure(SUPPLIED_NAME, Role.ADMIN, suppliedSecret.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("SENTINEL_ADMIN_KEY: " + e.getMessage(), e);
      }
      if (!key.active()) {
        log.warn(
            "SENTINEL_ADMIN_KEY is key {}, which was revoked and does not authenticate;"
                + " set a new secret or unset it to have one generated",
            key.id());
      } else if (key.role() != Role.ADMIN) {
        log.warn(
            "SENTINEL_ADMIN_KEY is key {} with role {}, not admin", key.id(), key.role().code());
      }
      return;
    }
    if (!authEnabled || keys.hasActiveAdmin()) {
      return;
    }
    CreatedKey created = keys.create(GENERATED_NAME, Role.ADMIN, "sentinel");
    out.println("Admin API key (shown once): " + created.secret());
    out.println(
        "  (key "
            + created.key().id()
            + "; store it now, or set SENTINEL_ADMIN_KEY to choose your own;"
            + " create more with 'sentinel keys create')");
    out.flush();
  }
}
