package dev.sentinel.audit;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that keys the audit chain (HMAC-SHA-256). It is kept outside the database that holds
 * the trail, so that whoever can write that database still cannot compute a valid hash for an entry
 * they changed or made up.
 */
public final class AuditKey {

  /** Shortest key accepted: the output size of SHA-256, so the key is never the weak link. */
  public static final int MIN_BYTES = 32;

  private final SecretKeySpec key;

  private AuditKey(byte[] bytes) {
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
  }

  public static AuditKey of(byte[] bytes) {
    if (bytes == null || bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "an audit key must be at least "
              + MIN_BYTES
              + " bytes, was "
              + (bytes == null ? 0 : bytes.length));
    }
    return new AuditKey(Arrays.copyOf(bytes, bytes.length));
  }

  /** The lower-case hex HMAC-SHA-256 of the text's UTF-8 bytes. Thread-safe. */
  public String mac(String text) {
    try {
      // A Mac is stateful, so each call gets its own; appends are far from the hot path.
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("the JDK always has HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "AuditKey[redacted]";
  }
}
