package dev.sentinel.app;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD mock API server with faults on the writes Sentinel's actions make. Every change
 * Sentinel makes to a workload carries its idempotency key ({@code sentinel.dev/action-key}), so
 * each write is told apart by it: the step's action ({@code execute}, {@code execute/2}) or the
 * step's rollback ({@code rollback}, {@code rollback/2}). A fault is set per step and hits every
 * write of it; reads and unmarked writes pass untouched. Records each write it receives.
 */
final class FaultyKubernetesApi extends KubernetesCrudDispatcher {

  /** Longer than the client's request timeout (fabric8's default, 10 s). */
  static final Duration HELD = Duration.ofSeconds(60);

  enum Fault {
    /** The write is not made, and its answer is held past the client's timeout. */
    TIMEOUT,
    /** The write is not made: a 500 as an overloaded etcd gives it. */
    ERROR,
    /** The write is made, but its answer is held past the client's timeout: a half-applied call. */
    LOST_REPLY
  }

  /** One write as the server received it; {@code applied} when the resource changed. */
  record Write(
      long atMillis, String method, String key, String step, Fault fault, boolean applied) {}

  private static final Pattern KEY =
      Pattern.compile("\"([^\"/]+/\\d+/\\d+/((?:execute|rollback)(?:/\\d+)?))\"");

  private static final String INTERNAL_ERROR =
      "{\"kind\": \"Status\", \"apiVersion\": \"v1\", \"metadata\": {}, \"status\": \"Failure\","
          + " \"message\": \"etcdserver: request timed out\", \"reason\": \"InternalError\","
          + " \"code\": 500}";

  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final List<Write> writes = new CopyOnWriteArrayList<>();

  /** Every write of {@code step} ({@code execute}, {@code execute/2}, ...) meets {@code fault}. */
  void fail(String step, Fault fault) {
    faults.put(step, fault);
  }

  List<Write> writes() {
    return List.copyOf(writes);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String method = request.getMethod();
    if (!"PATCH".equals(method) && !"PUT".equals(method)) {
      return super.dispatch(request);
    }
    String body =
        request.getBody() == null
            ? ""
            : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    Matcher marked = KEY.matcher(body);
    if (!marked.find()) {
      return super.dispatch(request);
    }
    String key = marked.group(1);
    String step = marked.group(2);
    Fault fault = faults.get(step);
    long at = System.currentTimeMillis();
    if (fault == null) {
      MockResponse response = super.dispatch(request);
      writes.add(new Write(at, method, key, step, null, response.code() < 300));
      return response;
    }
    return switch (fault) {
      case TIMEOUT -> {
        writes.add(new Write(at, method, key, step, fault, false));
        yield new MockResponse().setResponseCode(504).setBody(INTERNAL_ERROR).setBodyDelay(HELD);
      }
      case ERROR -> {
        writes.add(new Write(at, method, key, step, fault, false));
        yield new MockResponse().setResponseCode(500).setBody(INTERNAL_ERROR);
      }
      case LOST_REPLY -> {
        MockResponse response = super.dispatch(request);
        writes.add(new Write(at, method, key, step, fault, response.code() < 300));
        yield response.setBodyDelay(HELD);
      }
    };
  }
}
