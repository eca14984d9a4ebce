package dev.sentinel.app.http;

import dev.sentinel.access.ApiKey;
import dev.sentinel.app.notify.IncidentFeed;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console: three static files (a page, its script, its style) that need no key to load —
 * the page asks for an API key and sends it with every API call, so the server enforces every role
 * — plus the live stream of incident changes ({@code GET /api/v1/incidents/stream}, server- sent
 * events) and {@code GET /api/v1/session} (who the key is).
 */
final class ConsoleEndpoints {

  private static final Logger log = LoggerFactory.getLogger(ConsoleEndpoints.class);

  /** The console's files, by name, with their content type. */
  private static final Map<String, String> ASSETS =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "console.js", "text/javascript; charset=utf-8",
          "console.css", "text/css; charset=utf-8");

  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final IncidentFeed feed;
  private final dev.sentinel.app.config.ConsoleLinks links;

  ConsoleEndpoints(IncidentFeed feed, dev.sentinel.app.config.ConsoleLinks links) {
    this.feed = feed;
    this.links = links;
    for (String name : ASSETS.keySet()) {
      files.put(name, read(name));
    }
  }

  void page(Context ctx) {
    serve(ctx, "index.html");
  }

  void asset(Context ctx) {
    serve(ctx, ctx.pathParam("asset"));
  }

  private void serve(Context ctx, String name) {
    byte[] content = files.get(name);
    if (content == null) {
      throw new NotFoundResponse("no console file '" + name + "'");
    }
    // The page is tiny and changes with every release: always revalidate.
    ctx.header("Cache-Control", "no-cache")
        .header("X-Content-Type-Options", "nosniff")
        .contentType(ASSETS.get(name))
        .result(content);
  }

  /**
   * {@code GET /api/v1/session}: the calling key's name and role, so the page shows what it may do.
   */
  void session(Context ctx) {
    Map<String, Object> session = new LinkedHashMap<>();
    ApiKey key = Authenticator.caller(ctx).orElse(null);
    session.put("name", key == null ? "anonymous" : key.name());
    session.put("role", key == null ? "admin" : key.role().code());
    // The console's link templates (server.console), empty when not set.
    session.put("grafanaUrl", links.grafanaUrl());
    session.put("runbookUrl", links.runbookUrl());
    ctx.json(session);
  }

  /**
   * {@code GET /api/v1/incidents/stream}: one {@code incident} event per change on this instance
   * ({@code {"incidentId": ..., "kind": ...}}), and a comment every 15 s so that proxies keep the
   * connection open.
   */
  Handler stream() {
    return new SseHandler(this::subscribe);
  }

  /**
   * Changes are queued per console and sent by the console's own virtual thread: a slow or stuck
   * browser must never hold up the workflow thread that recorded the change. A console too far
   * behind (its queue full) is dropped; the page reconnects and re-reads.
   */
  private void subscribe(SseClient client) {
    client.keepAlive();
    BlockingQueue<Map<String, String>> pending = new ArrayBlockingQueue<>(1_000);
    AutoCloseable subscription =
        feed.subscribe(
            change -> {
              if (client.terminated() || !pending.offer(change)) {
                throw new IllegalStateException("the console went away or fell behind");
              }
            });
    Thread sender =
        Thread.ofVirtual()
            .name("console-stream")
            .start(
                () -> {
                  try {
                    client.sendEvent("ready", Map.of("subscribers", feed.subscribers()));
                    while (!client.terminated()) {
                      Map<String, String> change = pending.poll(15, TimeUnit.SECONDS);
                      if (change == null) {
                        client.sendComment("keep-alive");
                      } else {
                        client.sendEvent("incident", change);
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (RuntimeException e) {
                    log.debug("a console stream ended", e);
                  } finally {
                    close(subscription);
                  }
                });
    client.onClose(
        () -> {
          sender.interrupt();
          close(subscription);
        });
  }

  private static void close(AutoCloseable subscription) {
    try {
      subscription.close();
    } catch (Exception e) {
      log.debug("closing a live subscription", e);
    }
  }

  private static byte[] read(String name) {
    try (InputStream in = ConsoleEndpoints.class.getResourceAsStream("/console/" + name)) {
      if (in == null) {
        throw new IllegalStateException("console file " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
