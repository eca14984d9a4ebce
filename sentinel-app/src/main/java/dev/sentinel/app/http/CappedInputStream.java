package dev.sentinel.app.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that lets at most {@code limit} bytes through and refuses the next one with {@link
 * BodyTooLargeException}, so nothing past the limit is ever read, whatever the sender announced. It
 * never asks the stream below for more than one byte past the limit.
 *
 * <p>At the bottom of a request body ({@code raw}), a failure to read is the sender's (it hung up,
 * or sent a broken chunk): it becomes a {@link BadRequestException} rather than an I/O error, which
 * the API would answer with 500. Above a decompressor, its format errors are rethrown the same way
 * by {@link RequestBodies}.
 */
final class CappedInputStream extends FilterInputStream {

  private final long limit;
  private final String what;
  private final boolean raw;
  private long count;

  /**
   * @param what names the body and its limit for the 413 message, e.g. "the decompressed body
   *     (server.bodyLimits.metrics = 1024)"
   * @param raw whether this reads the request itself, whose I/O errors are the sender's
   */
  CappedInputStream(InputStream in, long limit, String what, boolean raw) {
    super(in);
    this.limit = limit;
    this.what = what;
    this.raw = raw;
  }

  /** Bytes let through so far. */
  long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    if (count >= limit) {
      probe();
      return -1;
    }
    int b = call(() -> super.read());
    if (b >= 0) {
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (count >= limit) {
      probe();
      return -1;
    }
    int allowed = (int) Math.min(length, limit - count);
    int read = call(() -> super.read(buffer, offset, allowed));
    if (read > 0) {
      count += read;
    }
    return read;
  }

  /**
   * At the limit: one more byte means the body is too large; end of stream means it fits (and the
   * caller answers -1: a read of 0 bytes would make readers such as readAllBytes spin).
   */
  private void probe() throws IOException {
    int next = call(() -> super.read());
    if (next >= 0) {
      throw new BodyTooLargeException(what + " is larger than the " + limit + " bytes accepted");
    }
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] sink = new byte[(int) Math.min(8192, Math.max(n, 1))];
    long skipped = 0;
    while (skipped < n) {
      int read = read(sink, 0, (int) Math.min(sink.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private interface Read {
    int get() throws IOException;
  }

  private int call(Read read) throws IOException {
    if (!raw) {
      return read.get();
    }
    try {
      return read.get();
    } catch (IOException e) {
      throw new BadRequestException("the request body could not be read: " + e.getMessage());
    }
  }
}
