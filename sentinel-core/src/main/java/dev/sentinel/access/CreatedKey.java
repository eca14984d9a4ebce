package dev.sentinel.access;

import java.util.Objects;

/**
 * A key just created, with the only copy of its secret that will ever exist: the store keeps a
 * hash. {@link #toString()} leaves the secret out so that a stray log line cannot leak it.
 */
public record CreatedKey(ApiKey key, String secret) {

  public CreatedKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(secret, "secret");
  }

  @Override
  public String toString() {
    return "CreatedKey[key=" + key + ", secret=(hidden)]";
  }
}
