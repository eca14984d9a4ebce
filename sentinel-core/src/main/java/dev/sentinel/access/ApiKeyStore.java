package dev.sentinel.access;

import java.util.List;
import java.util.Optional;

/**
 * The API keys, kept as hashes of their secrets (see {@link KeySecrets}). Every change is recorded
 * in the audit trail, never with the secret or its hash.
 *
 * <p>Thread-safe, and safe across Sentinel instances and CLI processes sharing one store. An
 * implementation writes the audit entry before the change it describes, so a failure can leave an
 * entry for a change that did not happen, never a change without its entry.
 */
public interface ApiKeyStore {

  /**
   * Creates a key with a fresh random secret. Not idempotent: each call makes another key.
   *
   * @param actor who asks, for the audit entry (an admin key's {@link ApiKey#actor()}, {@code
   *     cli:alice})
   * @return the key and its secret, which is shown to the caller once and not kept
   * @throws IllegalArgumentException when the name is blank, longer than {@link
   *     ApiKey#MAX_NAME_LENGTH} or holds control characters
   */
  CreatedKey create(String name, Role role, String actor);

  /**
   * The active key whose secret this is, found by the secret's hash; empty for an unknown, revoked,
   * blank or null secret. Called on every authenticated request: one indexed lookup, no writes.
   */
  Optional<ApiKey> authenticate(String secret);

  /** Every key, active and revoked, oldest first. */
  List<ApiKey> list();

  /**
   * Revokes a key: from now on its secret does not authenticate. The key stays listed, with the
   * time of revocation, so audit entries naming it remain explainable.
   *
   * @return {@code true} if an active key was revoked; {@code false} if there is no such key or it
   *     was already revoked (then nothing is audited), so repeating a revocation is harmless
   */
  boolean revoke(String id, String actor);

  /** Whether at least one active key has the {@link Role#ADMIN} role. */
  boolean hasActiveAdmin();

  /**
   * Registers a secret chosen outside Sentinel (the {@code SENTINEL_ADMIN_KEY} bootstrap key).
   * Idempotent: when a key with this secret exists, it is returned as it is, even if revoked or of
   * another role, because a restart must not undo a revocation; otherwise a key is created and
   * audited with the actor {@code sentinel}.
   *
   * @throws IllegalArgumentException when the secret is shorter than {@link
   *     KeySecrets#MIN_SUPPLIED_LENGTH} or holds whitespace, or the name is invalid
   */
  ApiKey ensure(String name, Role role, String secret);
}
