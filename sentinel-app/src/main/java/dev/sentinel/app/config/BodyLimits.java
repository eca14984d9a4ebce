package dev.sentinel.app.config;

/**
 * The largest request body each receiver reads, in bytes. A limit holds for the body as sent and
 * again after decompression, also for a chunked body that announces no length; the request is
 * refused with 413 at the byte that crosses it. 0 for a telemetry receiver means {@code
 * server.maxBodyBytes}.
 *
 * <p>The unauthenticated Slack endpoint gets a small default on purpose: anyone can reach it, and a
 * Slack button click is a few kilobytes.
 *
 * @param metrics {@code POST /api/v1/metrics}
 * @param remoteWrite {@code POST /api/v1/write}
 * @param otlp {@code POST /v1/metrics} and {@code /api/v1/otlp/v1/metrics}
 * @param alertmanager {@code POST /api/v1/alerts/alertmanager}
 * @param slack {@code POST /api/v1/slack/interactions}
 */
public record BodyLimits(long metrics, long remoteWrite, long otlp, long alertmanager, long slack) {

  /** No receiver may be set below this: an error answer alone can be longer. */
  public static final long MIN_BYTES = 1024;

  /** Java arrays stop short of 2 GiB, and the protobuf receivers hold their body in one. */
  public static final long MAX_BYTES = Integer.MAX_VALUE - 8L;

  public BodyLimits {
    inherited("metrics", metrics);
    inherited("remoteWrite", remoteWrite);
    inherited("otlp", otlp);
    bounded("alertmanager", alertmanager);
    bounded("slack", slack);
  }

  public static BodyLimits defaults() {
    return new BodyLimits(0, 0, 0, 4L * 1024 * 1024, 64L * 1024);
  }

  private static void inherited(String key, long bytes) {
    if (bytes != 0) {
      bounded(key, bytes);
    }
  }

  private static void bounded(String key, long bytes) {
    if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "server.bodyLimits."
              + key
              + " must be in "
              + MIN_BYTES
              + ".."
              + MAX_BYTES
              + " bytes"
              + (key.equals("slack") || key.equals("alertmanager")
                  ? ""
                  : " (or 0 for server.maxBodyBytes)")
              + ", was "
              + bytes);
    }
  }
}
