package dev.sentinel.history;

import dev.sentinel.ingest.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The id under which stores keep a series: the first 63 bits of the SHA-256 of its canonical text.
 * Derived, not allocated, so every instance and every restart computes the same id without asking
 * the database, and several writers never race for a sequence. With 63 bits, a collision is
 * expected only after about 3 × 10⁹ series.
 */
public final class SeriesFingerprint {

  private SeriesFingerprint() {}

  /** A non-negative id, stable across processes and versions. */
  public static long of(SeriesKey key) {
    return of(key.text());
  }

  /** The id of a series by its canonical text ({@link SeriesKey#text()}). */
  public static long of(String canonicalText) {
    byte[] digest = sha256().digest(canonicalText.getBytes(StandardCharsets.UTF_8));
    long id = 0;
    for (int i = 0; i < 8; i++) {
      id = (id << 8) | (digest[i] & 0xFF);
    }
    return id & Long.MAX_VALUE;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
