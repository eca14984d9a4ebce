package dev.sentinel.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * Making and hashing key secrets and ids, one definition for every {@link ApiKeyStore}.
 *
 * <p>A secret is {@code snt_} and 43 base62 characters drawn uniformly (43 × log2 62 ≈ 256 bits):
 * base62 so that a double-click selects all of it, the prefix so that secret scanners and people
 * recognise it. With that much entropy a plain SHA-256 is the right hash: a slow password hash
 * (bcrypt, Argon2) protects guessable secrets, and would only make every request slower, and an
 * unsalted hash is what lets {@link ApiKeyStore#authenticate} find a key by index. A store keeps
 * the {@link KeyHasher peppered} form of this hash, so that a row written straight into the
 * database is not a working key.
 */
public final class KeySecrets {

  public static final String PREFIX = "snt_";

  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final int SECRET_CHARS = 43;
  private static final int ID_CHARS = 12;

  /** Shortest secret accepted by {@link ApiKeyStore#ensure}, so a bootstrap key is not a word. */
  public static final int MIN_SUPPLIED_LENGTH = 32;

  private KeySecrets() {}

  /** A new secret; {@code random} must be a {@link java.security.SecureRandom} outside tests. */
  public static String newSecret(RandomGenerator random) {
    return PREFIX + base62(random, SECRET_CHARS);
  }

  /** A new public key id: {@code key_} and 12 base62 characters (71 bits, no collisions). */
  public static String newId(RandomGenerator random) {
    return "key_" + base62(random, ID_CHARS);
  }

  /**
   * The lower-case hex SHA-256 of the secret's UTF-8 bytes: what {@link KeyHasher} keys, and a safe
   * in-memory name for a secret.
   */
  public static String hash(String secret) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  /**
   * Checks a secret supplied from outside (the bootstrap key): long enough to resist guessing, and
   * free of whitespace, which an HTTP header would not carry intact.
   */
  public static String checkSupplied(String secret) {
    if (secret == null || secret.length() < MIN_SUPPLIED_LENGTH) {
      throw new IllegalArgumentException(
          "a supplied key secret must be at least "
              + MIN_SUPPLIED_LENGTH
              + " characters (generate one with 'sentinel keys create' or 'openssl rand -hex 32')");
    }
    if (secret.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException(
          "a supplied key secret must not contain whitespace or control characters");
    }
    return secret;
  }

  private static String base62(RandomGenerator random, int length) {
    char[] text = new char[length];
    for (int i = 0; i < length; i++) {
      text[i] = BASE62[random.nextInt(BASE62.length)];
    }
    return new String(text);
  }
}
