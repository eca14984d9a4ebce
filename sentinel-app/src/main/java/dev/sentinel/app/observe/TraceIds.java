package dev.sentinel.app.observe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * W3C trace ids (32 lower-case hex digits) for the logs' {@code traceId}: derived from a key, so
 * every line and span about one incident (or one request) shares a trace id across threads,
 * instances and restarts without carrying it around.
 */
public final class TraceIds {

  /** What a log line without any request or incident carries: W3C's "no trace". */
  public static final String NONE = "00000000000000000000000000000000";

  private TraceIds() {}

  /** The trace id of a key: the first 16 bytes of its SHA-256. */
  public static String of(String key) {
    return HexFormat.of().formatHex(digest(key), 0, 16);
  }

  /** An 8-byte span id derived from a key (the stand-in parent of an incident's spans). */
  static String spanIdOf(String key) {
    return HexFormat.of().formatHex(digest(key), 16, 24);
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
