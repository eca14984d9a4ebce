package dev.sentinel.app.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the API described in OpenAPI 3.1, written by hand next to the code
 * ({@code src/main/resources/openapi.json}) and held to the registered routes by a test.
 */
final class OpenApiDocument implements Handler {

  static final String RESOURCE = "/openapi.json";

  private final byte[] document;

  OpenApiDocument() {
    this.document = read();
  }

  static byte[] read() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  @Override
  public void handle(Context ctx) {
    ctx.contentType("application/json").result(document);
  }
}
