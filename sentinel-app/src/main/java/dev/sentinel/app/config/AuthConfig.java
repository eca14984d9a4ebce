package dev.sentinel.app.config;

/**
 * Who may call the HTTP API.
 *
 * @param enabled require an API key ({@code Authorization: Bearer snt_…}) on every route but the
 *     probes, the Prometheus scrape and the OpenAPI document. On by default: Sentinel can restart
 *     and scale production services, so an open API must be a deliberate choice (a laptop, a
 *     network that is itself the boundary), and it is logged as a warning at start.
 */
public record AuthConfig(boolean enabled) {

  public static AuthConfig defaults() {
    return new AuthConfig(true);
  }
}
