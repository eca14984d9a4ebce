package dev.sentinel.access;

import java.util.Objects;

/**
 * An API key as it is stored and listed: never its secret.
 *
 * @param id stable public identifier ({@code key_…}), safe to log and show
 * @param name what the key is for, chosen by whoever created it ({@code otel-collector-eu})
 * @param role what the key may do
 * @param createdAtMillis when it was created, epoch milliseconds
 * @param revokedAtMillis when it was revoked, or {@code null} while it is active
 */
public record ApiKey(
    String id, String name, Role role, long createdAtMillis, Long revokedAtMillis) {

  /** Longest accepted name; names show up in audit entries and tables. */
  public static final int MAX_NAME_LENGTH = 100;

  public ApiKey {
    Objects.requireNonNull(role, "role");
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    checkName(name);
  }

  /** Checks a key name: 1 to 100 characters, no control characters. */
  public static String checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "name must be at most " + MAX_NAME_LENGTH + " characters, was " + name.length());
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("name must not contain control characters");
    }
    return name;
  }

  public boolean active() {
    return revokedAtMillis == null;
  }

  /**
   * How this key appears as the actor of audit entries: its name for people, its id because names
   * need not be unique.
   */
  public String actor() {
    return name + " [" + id + "]";
  }
}
