package dev.sentinel.clickhouse;

import dev.sentinel.history.TelemetryStoreException;
import dev.sentinel.trace.RequestIds;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ClickHouse's HTTP interface, the one way in that works from 18.16 to current servers: the
 * statement goes in the body (or, for an insert, in the {@code query} parameter with the rows as
 * body), the database in the {@code database} parameter (18.16 ignores the {@code
 * X-ClickHouse-Database} header), and the output format in the SQL. One {@link HttpClient}, reused
 * for every request; it is thread-safe and keeps connections alive.
 */
final class ClickHouseHttp implements AutoCloseable {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient client;
  private final URI base;
  private final String database;
  private final AtomicLong queries = new AtomicLong();

  /**
   * @param base the server's HTTP address, e.g. {@code http://127.0.0.1:8123}
   * @param database the database statements run in, or null for the server's default
   */
  ClickHouseHttp(URI base, String database) {
    this.client =
        HttpClient.newBuilder()
            // ClickHouse speaks HTTP/1.1; an h2c upgrade attempt only costs a round trip.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.base = base;
    this.database = database;
  }

  /** Runs a statement and returns the response body (the rows, in the format the SQL names). */
  String execute(String sql) {
    return execute(sql, database);
  }

  /**
   * Runs a statement outside the database, e.g. the {@code CREATE DATABASE} of that database (a
   * request naming a database that does not exist yet is refused).
   */
  String executeOnServer(String sql) {
    return execute(sql, null);
  }

  /**
   * Runs a statement. A statement run for a request's work (an analysis asking for a baseline, an
   * API call asking for history) carries its request id, as {@value RequestIds#HEADER} and in the
   * query's id ({@code <request id>/<n>}: query ids must be unique among running queries), so
   * {@code system.query_log} shows which incident asked what; such queries (few: they serve an
   * analysis or an API call, not ingest) ask to be logged, which servers before 20.x did not do by
   * default. ({@code log_comment} would be tidier, but Debian's ClickHouse 18.16 predates it.)
   */
  private String execute(String sql, String inDatabase) {
    String requestId = RequestIds.current();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                uri(
                    inDatabase,
                    null,
                    requestId == null ? null : requestId + "/" + queries.incrementAndGet()))
            .timeout(REQUEST_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
    if (requestId != null) {
      request.header(RequestIds.HEADER, requestId);
    }
    return send(request.build(), sql);
  }

  /** Runs a statement and splits its {@code TabSeparated} output into rows of fields. */
  List<String[]> rows(String sql) {
    String body = execute(sql + " FORMAT TabSeparated");
    List<String[]> rows = new ArrayList<>();
    int start = 0;
    while (start < body.length()) {
      int end = body.indexOf('\n', start);
      if (end < 0) {
        end = body.length();
      }
      rows.add(body.substring(start, end).split("\t", -1));
      start = end + 1;
    }
    return rows;
  }

  /** Sends {@code rows} encoded as the insert statement's format says. */
  void insert(String insertStatement, byte[] rows) {
    send(
        HttpRequest.newBuilder(uri(database, insertStatement, null))
            .timeout(REQUEST_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(rows))
            .build(),
        insertStatement);
  }

  private URI uri(String inDatabase, String query, String queryId) {
    StringBuilder uri = new StringBuilder(base.toString());
    if (uri.charAt(uri.length() - 1) != '/') {
      uri.append('/');
    }
    char separator = '?';
    if (inDatabase != null) {
      uri.append(separator).append("database=").append(encode(inDatabase));
      separator = '&';
    }
    if (query != null) {
      uri.append(separator).append("query=").append(encode(query));
      separator = '&';
    }
    if (queryId != null) {
      uri.append(separator).append("query_id=").append(encode(queryId)).append("&log_queries=1");
    }
    return URI.create(uri.toString());
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private String send(HttpRequest request, String statement) {
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TelemetryStoreException("ClickHouse at " + base + " is unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TelemetryStoreException("interrupted while waiting for ClickHouse", e);
    }
    if (response.statusCode() != 200) {
      throw new TelemetryStoreException(
          "ClickHouse refused ("
              + response.statusCode()
              + "): "
              + response.body().strip()
              + " -- statement: "
              + abbreviate(statement));
    }
    return response.body();
  }

  private static String abbreviate(String statement) {
    return statement.length() <= 300 ? statement : statement.substring(0, 300) + "…";
  }

  @Override
  public void close() {
    client.close();
  }
}
