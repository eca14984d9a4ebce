package dev.sentinel.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API key may do. The roles form a small lattice, not a line:
 *
 * <pre>
 *            admin          keys, plus everything below
 *              |
 *           operator        approve and reject plans, plus read and write telemetry
 *           /      \
 *      viewer      ingest   read everything / write telemetry only
 * </pre>
 *
 * <p>{@code ingest} and {@code viewer} are deliberately unrelated: a key baked into every collector
 * agent must not read incidents, and a key on a dashboard must not be able to feed fake telemetry
 * that opens incidents and triggers remediation.
 */
public enum Role {
  INGEST,
  VIEWER,
  OPERATOR,
  ADMIN;

  /** Whether a key with this role may call something that requires {@code required}. */
  public boolean allows(Role required) {
    return switch (this) {
      case INGEST -> required == INGEST;
      case VIEWER -> required == VIEWER;
      case OPERATOR -> required != ADMIN;
      case ADMIN -> true;
    };
  }

  /** The lower-case name used in the API, the CLI and storage. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The role named by {@code code}, in any case.
   *
   * @throws IllegalArgumentException naming the valid roles
   */
  public static Role fromCode(String code) {
    for (Role role : values()) {
      if (role.code().equalsIgnoreCase(code == null ? "" : code.strip())) {
        return role;
      }
    }
    throw new IllegalArgumentException("role must be one of " + codes() + ", was '" + code + "'");
  }

  /** The valid codes, comma-separated, for error messages and help text. */
  public static String codes() {
    return Arrays.stream(values()).map(Role::code).collect(Collectors.joining(", "));
  }
}
