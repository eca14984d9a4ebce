package dev.sentinel.access;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a key secret into what a store keeps: HMAC-SHA-256, under a server secret (the pepper) kept
 * outside the database, of the secret's {@link KeySecrets#hash SHA-256}. Without the pepper nobody
 * who can write the key table can make a row that a real secret matches, so a row inserted behind
 * Sentinel's back is never a working key.
 *
 * <p>Hashing the SHA-256 rather than the secret itself is what lets keys stored before the pepper
 * existed (as a plain SHA-256) be upgraded in place with {@link #upgrade}: the secrets themselves
 * are never kept, so they could not be hashed again.
 */
public final class KeyHasher {

  /** Shortest pepper accepted: the output size of SHA-256. */
  public static final int MIN_PEPPER_BYTES = 32;

  private final SecretKeySpec pepper;

  public KeyHasher(byte[] pepper) {
    if (pepper == null || pepper.length < MIN_PEPPER_BYTES) {
      throw new IllegalArgumentException(
          "an API-key pepper must be at least " + MIN_PEPPER_BYTES + " bytes");
    }
    this.pepper = new SecretKeySpec(Arrays.copyOf(pepper, pepper.length), "HmacSHA256");
  }

  /** The stored form of a secret: lower-case hex. Thread-safe. */
  public String hash(String secret) {
    return upgrade(KeySecrets.hash(secret));
  }

  /** The stored form of a key kept as a plain SHA-256 (lower-case hex) before peppering. */
  public String upgrade(String plainHash) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(pepper);
      return HexFormat.of().formatHex(mac.doFinal(plainHash.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("the JDK always has HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "KeyHasher[redacted]";
  }
}
