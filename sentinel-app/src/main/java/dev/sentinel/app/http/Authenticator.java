package dev.sentinel.app.http;

import dev.sentinel.access.ApiKey;
import dev.sentinel.access.ApiKeyStore;
import dev.sentinel.access.KeySecrets;
import dev.sentinel.access.Role;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.security.RouteRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every matched request against the {@link Access} its route declares: reads the bearer key,
 * finds it in the {@link ApiKeyStore}, and refuses with 401 or 403 before the handler runs. The
 * caller's key is left on the context for handlers that audit what they do ({@link
 * #actor(Context)}).
 *
 * <p>Found keys are remembered for {@link #CACHE_MILLIS}, so that ingest at thousands of requests a
 * second does not put a database round trip on each. The price: a key revoked through another
 * instance or the CLI keeps working here for up to that long; one revoked through this server stops
 * at once ({@link #forget()}). Unknown keys are not remembered, so a key just created on another
 * instance works immediately. A remembered key past its time is honoured while it is checked again
 * in the background (for up to {@link #STALE_IF_ERROR_MILLIS} if the key store is down), so no
 * request waits for the database once its key is known.
 */
public final class Authenticator implements Handler {

  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
  static final long CACHE_MILLIS = 5_000;

  /**
   * How long past its check a remembered key is still honoured while it is checked again in the
   * background, and so while the key store fails.
   */
  static final long STALE_IF_ERROR_MILLIS = 15 * 60_000;

  private static final int CACHE_LIMIT = 10_000;
  private static final String CALLER = "sentinel.caller";
  private static final String ANONYMOUS = "anonymous (auth disabled)";

  private record Remembered(ApiKey key, long untilMillis) {}

  private final ApiKeyStore keys;
  private final boolean enabled;
  private final Clock clock;
  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
  private final Set<String> rechecking = ConcurrentHashMap.newKeySet();
  private final Counter missing;
  private final Counter invalid;
  private final Counter forbidden;

  public Authenticator(ApiKeyStore keys, boolean enabled, Clock clock, MeterRegistry meters) {
    this.keys = keys;
    this.enabled = enabled;
    this.clock = clock;
    this.missing = refusals(meters, "missing");
    this.invalid = refusals(meters, "invalid");
    this.forbidden = refusals(meters, "forbidden");
  }

  private static Counter refusals(MeterRegistry meters, String reason) {
    return Counter.builder("sentinel.http.auth.refused")
        .description("Requests refused for a missing or invalid API key, or a too low role")
        .tag("reason", reason)
        .register(meters);
  }

  @Override
  public void handle(Context ctx) {
    Access access = declared(ctx);
    if (access == Access.PUBLIC) {
      // Open to all; a valid key only adds what its holder may see (health details).
      identify(ctx);
      return;
    }
    if (!enabled) {
      return;
    }
    ApiKey key = authenticate(ctx);
    if (!key.role().allows(access.role())) {
      forbidden.increment();
      throw new AccessDeniedException(
          AccessDeniedException.Reason.FORBIDDEN,
          "API key '"
              + key.name()
              + "' has role "
              + key.role().code()
              + ", which may not call "
              + route(ctx)
              + "; that needs "
              + access.role().code()
              + (access.role() == Role.ADMIN ? "" : " (or a role above it)"));
    }
    ctx.attribute(CALLER, key);
  }

  /**
   * Notes the caller of an open route when it sent a valid key; refuses nothing, and a key store
   * that cannot answer (an outage) leaves the caller anonymous rather than failing the route.
   */
  private void identify(Context ctx) {
    if (!enabled) {
      return;
    }
    Optional<String> secret = bearerSecret(ctx.header("Authorization"));
    if (secret.isEmpty()) {
      return;
    }
    try {
      lookUp(secret.get()).ifPresent(key -> ctx.attribute(CALLER, key));
    } catch (RuntimeException e) {
      log.debug("could not identify the caller of an open route: {}", e.toString());
    }
  }

  /** The secret of an {@code Authorization: Bearer <key>} header; empty for anything else. */
  private static Optional<String> bearerSecret(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String[] parts = header.strip().split("\\s+", 2);
    return parts.length == 2 && parts[0].toLowerCase(Locale.ROOT).equals("bearer")
        ? Optional.of(parts[1].strip())
        : Optional.empty();
  }

  private static Access declared(Context ctx) {
    if (ctx.endpoints().matchedHttpEndpoint() == null) {
      // Jetty lets a HEAD reach a GET route that has no HEAD route of its own.
      throw new HttpResponseException(
          HttpStatus.METHOD_NOT_ALLOWED.getCode(),
          ctx.method() + " is not served on " + ctx.path() + "; use GET");
    }
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.size() != 1 || !(roles.iterator().next() instanceof Access access)) {
      throw new IllegalStateException(
          "route " + route(ctx) + " must declare exactly one Access, declares " + roles);
    }
    return access;
  }

  /** The matched route as registered ({@code DELETE /api/v1/keys/{id}}), not the request path. */
  private static String route(Context ctx) {
    return ctx.method() + " " + ctx.endpoints().matchedHttpEndpoint().path;
  }

  private ApiKey authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      missing.increment();
      throw new AccessDeniedException(
          AccessDeniedException.Reason.MISSING,
          "this route needs an API key: send 'Authorization: Bearer <key>'"
              + " (create one with 'sentinel keys create')");
    }
    Optional<String> secret = bearerSecret(header);
    if (secret.isEmpty()) {
      invalid.increment();
      throw new AccessDeniedException(
          AccessDeniedException.Reason.INVALID, "the Authorization header must be 'Bearer <key>'");
    }
    Optional<ApiKey> key = lookUp(secret.get());
    if (key.isEmpty()) {
      invalid.increment();
      throw new AccessDeniedException(
          AccessDeniedException.Reason.INVALID, "the API key is unknown or was revoked");
    }
    return key.get();
  }

  private Optional<ApiKey> lookUp(String secret) {
    String hash = KeySecrets.hash(secret);
    long now = clock.millis();
    Remembered known = remembered.get(hash);
    if (known != null && known.untilMillis() > now) {
      return Optional.of(known.key());
    }
    if (known != null && now - known.untilMillis() < STALE_IF_ERROR_MILLIS) {
      // Checked again off the request's thread: ingest never waits for the key store, and goes
      // on through a state-store outage. A revocation applies once the check comes back.
      recheckLater(secret, hash);
      return Optional.of(known.key());
    }
    return check(secret, hash, now);
  }

  private Optional<ApiKey> check(String secret, String hash, long now) {
    Optional<ApiKey> found = keys.authenticate(secret);
    if (found.isPresent()) {
      if (remembered.size() >= CACHE_LIMIT) {
        remembered.clear();
      }
      remembered.put(hash, new Remembered(found.get(), now + CACHE_MILLIS));
    } else {
      remembered.remove(hash);
    }
    return found;
  }

  private void recheckLater(String secret, String hash) {
    if (!rechecking.add(hash)) {
      return;
    }
    Thread.ofVirtual()
        .name("sentinel-key-recheck")
        .start(
            () -> {
              try {
                check(secret, hash, clock.millis());
              } catch (RuntimeException e) {
                // The key store is down: the remembered key stays until STALE_IF_ERROR_MILLIS.
                log.debug("re-checking an API key failed: {}", e.toString());
              } finally {
                rechecking.remove(hash);
              }
            });
  }

  /** Drops every remembered key, so a revocation made through this server applies at once. */
  public void forget() {
    remembered.clear();
  }

  /** The key that made this request; empty on public routes and when auth is disabled. */
  public static Optional<ApiKey> caller(Context ctx) {
    return Optional.ofNullable(ctx.attribute(CALLER));
  }

  /** Who made this request, as the actor of an audit entry. */
  public static String actor(Context ctx) {
    return caller(ctx).map(ApiKey::actor).orElse(ANONYMOUS);
  }
}
