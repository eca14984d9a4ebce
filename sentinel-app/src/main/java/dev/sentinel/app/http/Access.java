package dev.sentinel.app.http;

import dev.sentinel.access.Role;
import io.javalin.security.RouteRole;

/**
 * What a route requires, declared where it is registered: {@code routes.get(path, handler,
 * Access.VIEWER)}. Every route declares exactly one; a route that declares none is refused with a
 * 500 rather than served open, so forgetting the declaration cannot expose anything.
 */
public enum Access implements RouteRole {
  /** No key: liveness and readiness probes, the Prometheus scrape, the OpenAPI document. */
  PUBLIC(null),
  INGEST(Role.INGEST),
  VIEWER(Role.VIEWER),
  OPERATOR(Role.OPERATOR),
  ADMIN(Role.ADMIN);

  private final Role role;

  Access(Role role) {
    this.role = role;
  }

  /** The role a key needs, or {@code null} for {@link #PUBLIC}. */
  public Role role() {
    return role;
  }
}
