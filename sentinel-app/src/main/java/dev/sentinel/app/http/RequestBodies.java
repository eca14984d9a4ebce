package dev.sentinel.app.http;

import dev.sentinel.app.ingest.InvalidPointsException;
import dev.sentinel.app.ingest.SnappyBlock;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The one way every endpoint reads a request body: decompressed per its {@code Content-Encoding}
 * and bounded by the endpoint's limit ({@code server.bodyLimits}) before and after decompression,
 * so neither a large body nor a small compressed one can make the server allocate without bound.
 */
final class RequestBodies {

  enum Encoding {
    IDENTITY,
    GZIP,
    SNAPPY
  }

  private RequestBodies() {}

  /** The media type of a {@code Content-Type} without its parameters, lower case; "" if absent. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  /**
   * The request's {@code Content-Encoding}, refused with 415 unless it is one of {@code allowed}.
   */
  static Encoding encoding(Context ctx, Encoding... allowed) {
    String header = ctx.header("Content-Encoding");
    Encoding encoding =
        header == null || header.isBlank() || header.equalsIgnoreCase("identity")
            ? Encoding.IDENTITY
            : switch (header.strip().toLowerCase(Locale.ROOT)) {
              case "gzip" -> Encoding.GZIP;
              case "snappy" -> Encoding.SNAPPY;
              default -> null;
            };
    for (Encoding candidate : allowed) {
      if (candidate == encoding) {
        return encoding;
      }
    }
    throw new HttpResponseException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(),
        "Content-Encoding '"
            + header
            + "' is not supported here; send "
            + java.util.Arrays.stream(allowed)
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .toList());
  }

  /**
   * The body as a stream, decompressed per {@code encoding} (identity or gzip), bounded by {@code
   * limit} twice: as sent and as decompressed. The byte that crosses either bound is refused with
   * {@link BodyTooLargeException} (413), at once when {@code Content-Length} announces too much;
   * nothing past it is read or buffered, chunked bodies included. A body that is not the gzip it
   * claims to be fails with {@link BadRequestException} (400) where the reader meets the damage.
   *
   * @param key the configuration key of the limit, named in the 413 message
   */
  static InputStream open(Context ctx, Encoding encoding, long limit, String key) {
    InputStream sent;
    try {
      sent = ctx.req().getInputStream();
    } catch (IOException e) {
      throw new BadRequestException("the request body could not be read: " + e.getMessage());
    }
    return open(sent, ctx.req().getContentLengthLong(), encoding, limit, key);
  }

  /**
   * {@link #open(Context, Encoding, long, String)} on the request's raw stream.
   *
   * @param announced the {@code Content-Length}, or -1 for a chunked body
   */
  static InputStream open(
      InputStream sent, long announced, Encoding encoding, long limit, String key) {
    if (announced > limit) {
      throw new BodyTooLargeException(
          "the body of "
              + announced
              + " bytes is larger than the "
              + limit
              + " bytes accepted ("
              + key
              + ")");
    }
    CappedInputStream capped = new CappedInputStream(sent, limit, "the body (" + key + ")", true);
    return switch (encoding) {
      case IDENTITY -> capped;
      case GZIP ->
          new CappedInputStream(
              gunzip(capped), limit, "the decompressed body (" + key + ")", false);
      case SNAPPY -> throw new IllegalArgumentException("snappy is a block format: use read()");
    };
  }

  /** The limit of the small JSON commands (keys, approvals, faults): they are a few lines. */
  static final long COMMAND_BYTES = 64 * 1024;

  /**
   * The text body of a callback an outside service signs (Slack, PagerDuty), read up to {@code
   * limit} (the setting {@code key}); empty when it is larger, and the connection is then closed:
   * the caller refuses it without reading the rest.
   */
  static Optional<String> callback(Context ctx, long limit, String key) {
    try {
      return Optional.of(
          new String(read(ctx, Encoding.IDENTITY, limit, key), StandardCharsets.UTF_8));
    } catch (BodyTooLargeException e) {
      ctx.header("Connection", "close");
      return Optional.empty();
    }
  }

  /** The body of a JSON command (not a receiver), as text, bounded by {@link #COMMAND_BYTES}. */
  static String command(Context ctx) {
    return new String(
        read(ctx, Encoding.IDENTITY, COMMAND_BYTES, "a command body"), StandardCharsets.UTF_8);
  }

  /** The whole body, decompressed and bounded as {@link #open} says. */
  static byte[] read(Context ctx, Encoding encoding, long limit, String key) {
    InputStream sent;
    try {
      sent = ctx.req().getInputStream();
    } catch (IOException e) {
      throw new BadRequestException("the request body could not be read: " + e.getMessage());
    }
    return read(sent, ctx.req().getContentLengthLong(), encoding, limit, key);
  }

  /** {@link #read(Context, Encoding, long, String)} on the request's raw stream. */
  static byte[] read(InputStream sent, long announced, Encoding encoding, long limit, String key) {
    try {
      if (encoding == Encoding.SNAPPY) {
        byte[] compressed = open(sent, announced, Encoding.IDENTITY, limit, key).readAllBytes();
        if (compressed.length == 0) {
          throw InvalidPointsException.of("body", "the body is empty");
        }
        return SnappyBlock.uncompress(compressed, compressed.length, limit);
      }
      return open(sent, announced, encoding, limit, key).readAllBytes();
    } catch (IOException e) {
      // Only a decompressor fails with a checked exception here (see CappedInputStream).
      throw new BadRequestException(
          "the body is not valid "
              + encoding.name().toLowerCase(Locale.ROOT)
              + ": "
              + e.getMessage());
    }
  }

  /** A gzip stream whose format errors, from its header on, are the sender's: 400. */
  private static InputStream gunzip(InputStream compressed) {
    try {
      return new FormatCheckedStream(new GZIPInputStream(compressed, 16 * 1024), "gzip");
    } catch (IOException e) {
      throw new BadRequestException("the body is not valid gzip: " + e.getMessage());
    }
  }

  /** Turns the I/O errors of a decompressor into a 400 that names the encoding. */
  private static final class FormatCheckedStream extends java.io.FilterInputStream {
    private final String format;

    FormatCheckedStream(InputStream in, String format) {
      super(in);
      this.format = format;
    }

    @Override
    public int read() {
      try {
        return super.read();
      } catch (IOException e) {
        throw invalid(e);
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      try {
        return super.read(buffer, offset, length);
      } catch (IOException e) {
        throw invalid(e);
      }
    }

    private BadRequestException invalid(IOException e) {
      return new BadRequestException("the body is not valid " + format + ": " + e.getMessage());
    }
  }
}
