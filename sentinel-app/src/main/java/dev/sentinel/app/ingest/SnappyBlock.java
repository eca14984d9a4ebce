package dev.sentinel.app.ingest;

import dev.sentinel.ingest.BatchTooLargeException;

/**
 * Decompresses Snappy's raw block format, the {@code Content-Encoding: snappy} of Prometheus remote
 * write (not the framed format of {@code application/x-snappy-framed}).
 *
 * <p>Pure Java on purpose: snappy-java extracts a native library to a temporary directory at first
 * use, which Java 25 flags as a restricted method call and a read-only /tmp breaks; the format is
 * small enough to decode here. The layout follows Snappy's {@code format_description.txt}: a varint
 * of the uncompressed length, then literals and back-references (copies).
 */
public final class SnappyBlock {

  private SnappyBlock() {}

  private static InvalidPointsException corrupt(String message) {
    return InvalidPointsException.of("body", "not a valid Snappy block: " + message);
  }

  /** The uncompressed length a block announces in its preamble. */
  public static long uncompressedLength(byte[] block, int length) {
    long result = 0;
    for (int i = 0, shift = 0; i < length && shift <= 28; i++, shift += 7) {
      int b = block[i] & 0xff;
      result |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        return result;
      }
    }
    throw corrupt("the uncompressed length preamble is truncated or too long");
  }

  /**
   * Decompresses {@code block[0..length)}.
   *
   * @param maxLength the largest uncompressed size accepted: a guard against decompression bombs
   * @throws InvalidPointsException (400) when the block is not valid Snappy
   * @throws BatchTooLargeException (413) when it announces more than {@code maxLength} bytes
   */
  public static byte[] uncompress(byte[] block, int length, long maxLength) {
    long announced = uncompressedLength(block, length);
    if (announced > maxLength) {
      throw new BatchTooLargeException(
          "the snappy body decompresses to "
              + announced
              + " bytes, more than the "
              + maxLength
              + " accepted here (server.bodyLimits); send smaller requests");
    }
    int in = 0;
    while ((block[in] & 0x80) != 0) {
      in++;
    }
    in++;
    byte[] out = new byte[(int) announced];
    int written = 0;
    while (in < length) {
      int tag = block[in++] & 0xff;
      int kind = tag & 3;
      if (kind == 0) {
        int literal = tag >>> 2;
        if (literal >= 60) {
          int bytes = literal - 59;
          if (in + bytes > length) {
            throw corrupt("a literal's length is truncated");
          }
          literal = 0;
          for (int i = 0; i < bytes; i++) {
            literal |= (block[in++] & 0xff) << (8 * i);
          }
        }
        long size = (literal & 0xffffffffL) + 1;
        if (size > length - in || size > out.length - written) {
          throw corrupt("a literal runs past the end of the input or output");
        }
        System.arraycopy(block, in, out, written, (int) size);
        in += (int) size;
        written += (int) size;
        continue;
      }
      int copy;
      int offset;
      if (kind == 1) {
        if (in >= length) {
          throw corrupt("a copy is truncated");
        }
        copy = 4 + ((tag >>> 2) & 7);
        offset = ((tag >>> 5) << 8) | (block[in++] & 0xff);
      } else {
        int bytes = kind == 2 ? 2 : 4;
        if (in + bytes > length) {
          throw corrupt("a copy is truncated");
        }
        copy = 1 + (tag >>> 2);
        offset = 0;
        for (int i = 0; i < bytes; i++) {
          offset |= (block[in++] & 0xff) << (8 * i);
        }
      }
      if (offset <= 0 || offset > written) {
        throw corrupt("a copy refers to " + offset + " bytes back, before the start");
      }
      if (copy > out.length - written) {
        throw corrupt("a copy runs past the announced length");
      }
      // Byte by byte: a copy may overlap what it writes (a run of a repeated pattern).
      for (int from = written - offset, end = written + copy; written < end; ) {
        out[written++] = out[from++];
      }
    }
    if (written != out.length) {
      throw corrupt("snappy: the block announces " + out.length + " bytes but holds " + written);
    }
    return out;
  }
}
