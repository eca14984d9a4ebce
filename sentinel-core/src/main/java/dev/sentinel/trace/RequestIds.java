package dev.sentinel.trace;

import java.util.UUID;
import org.slf4j.MDC;

/**
 * The request id of the work in hand, kept in the logging MDC so that every log line shows it and
 * every outbound call (notifiers, Kafka records, LLM providers, executors' cloud APIs, the
 * ClickHouse store) can send it as {@value #HEADER}. The HTTP API takes it from the caller (or
 * makes one); the workflow names each step's work by the incident, or by the request that resumed
 * it (an approval); the delivery worker names each notification.
 */
public final class RequestIds {

  /** The MDC key. */
  public static final String KEY = "requestId";

  /** The HTTP header (and Kafka record header) it travels in. */
  public static final String HEADER = "X-Request-ID";

  private RequestIds() {}

  /** The id of the work this thread is doing, or null outside any. */
  public static String current() {
    String id = MDC.get(KEY);
    return id == null || id.isBlank() ? null : id;
  }

  /** The current id, or a new random one for a call made outside any request's work. */
  public static String currentOrNew() {
    String id = current();
    return id == null ? UUID.randomUUID().toString() : id;
  }

  /**
   * Makes {@code id} the current request id until the returned scope closes, which puts back
   * whatever was current before.
   */
  public static Scope open(String id) {
    String previous = MDC.get(KEY);
    MDC.put(KEY, id);
    return () -> {
      if (previous == null) {
        MDC.remove(KEY);
      } else {
        MDC.put(KEY, previous);
      }
    };
  }

  /** Ends a request id's span of work; closing never throws. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
