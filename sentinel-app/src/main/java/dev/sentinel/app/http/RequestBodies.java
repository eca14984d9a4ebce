package dev.sentinel.app.http;

import dev.sentinel.app.ingest.InvalidPointsException;
import dev.sentinel.app.ingest.SnappyBlock;
import dev.sentinel.ingest.BatchTooLargeException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads the body of a receiver request, decompressed per its {@code Content-Encoding}. The size
 * limit ({@code server.maxBodyBytes}) holds for the decompressed body too, so a small compressed
 * body cannot make the server allocate without bound.
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

  /** The whole body, decompressed. */
  static byte[] read(Context ctx, Encoding encoding, long maxBytes) throws IOException {
    return switch (encoding) {
      case IDENTITY -> ctx.bodyAsBytes();
      case SNAPPY -> {
        byte[] compressed = ctx.bodyAsBytes();
        if (compressed.length == 0) {
          throw InvalidPointsException.of("body", "the body is empty");
        }
        yield SnappyBlock.uncompress(compressed, compressed.length, maxBytes);
      }
      case GZIP -> {
        try (InputStream body = new GZIPInputStream(ctx.bodyInputStream(), 64 * 1024)) {
          byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
          if (bytes.length > maxBytes) {
            throw new BatchTooLargeException(
                "the gzip body decompresses to more than server.maxBodyBytes=" + maxBytes);
          }
          yield bytes;
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
          throw InvalidPointsException.of("body", "not valid gzip: " + e.getMessage());
        }
      }
    };
  }
}
