package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos: the state store (a PostgreSQL of the test's own) is stopped for 60 s while 100,000 points
 * a second are ingested over HTTP. Detection must not notice: every request is accepted and every
 * point detected. The incident desk holds the anomalies of a fault that begins during the outage,
 * health says DEGRADED, and once PostgreSQL is back the fault becomes an incident and health turns
 * UP again. The test prints what was lost and how long recovery took.
 */
class PostgresOutageIT {

  private static final String ADMIN = "snt_postgres_outage_admin_key_0123456789";
  private static final int SERVICES = 10;
  private static final int HOSTS = 200;
  private static final int POINTS_PER_SERIES_PER_TICK = 5;
  private static final long TICK_MILLIS = 100;
  private static final String FAULTY = "svc-3";
  private static final Pattern DETECTED =
      Pattern.compile("^sentinel_detect_points_total(?:\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);

  @TempDir Path dir;

  /** Sends 2,000 series × 5 points every 100 ms (100,000 points/s) and counts the answers. */
  private static final class Load implements Runnable {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI uri;
    private final SplittableRandom random = new SplittableRandom(11);
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicBoolean faulty = new AtomicBoolean();
    final AtomicLong sentPoints = new AtomicLong();
    final AtomicLong acceptedPoints = new AtomicLong();
    final AtomicLong lateTicks = new AtomicLong();
    final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

    Load(String base) {
      this.uri = URI.create(base + "/api/v1/metrics");
    }

    @Override
    public void run() {
      long next = System.currentTimeMillis();
      while (running.get()) {
        long now = System.currentTimeMillis();
        String body = batch(now);
        int points = SERVICES * HOSTS * POINTS_PER_SERIES_PER_TICK;
        int status;
        try {
          status =
              http.send(
                      HttpRequest.newBuilder(uri)
                          .header("Authorization", "Bearer " + ADMIN)
                          .header("Content-Type", "application/json")
                          .timeout(Duration.ofSeconds(10))
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode();
        } catch (Exception e) {
          status = -1;
        }
        sentPoints.addAndGet(points);
        if (status == 202) {
          acceptedPoints.addAndGet(points);
        }
        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        next += TICK_MILLIS;
        long wait = next - System.currentTimeMillis();
        if (wait > 0) {
          sleep(wait);
        } else {
          lateTicks.incrementAndGet();
        }
      }
    }

    private String batch(long now) {
      StringBuilder json = new StringBuilder(1_000_000).append("{\"points\":[");
      boolean first = true;
      for (int p = 0; p < POINTS_PER_SERIES_PER_TICK; p++) {
        long at = now - TICK_MILLIS + (p + 1) * (TICK_MILLIS / POINTS_PER_SERIES_PER_TICK);
        for (int s = 0; s < SERVICES; s++) {
          String service = "svc-" + s;
          double shift = faulty.get() && service.equals(FAULTY) ? 80 : 0;
          for (int h = 0; h < HOSTS; h++) {
            if (!first) {
              json.append(',');
            }
            first = false;
            double value = 100 + s + shift + random.nextGaussian() * 3;
            json.append("{\"name\":\"outage_latency_ms\",\"labels\":{\"service\":\"")
                .append(service)
                .append("\",\"host\":\"h")
                .append(h)
                .append("\"},\"timestamp\":")
                .append(at)
                .append(",\"value\":")
                .append(String.format(Locale.ROOT, "%.2f", value))
                .append('}');
          }
        }
      }
      return json.append("]}").toString();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(String log, int lines) {
    String[] all = log.split("\n");
    return String.join(
        "\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
  }

  private static long detected(SentinelApi api) throws Exception {
    Matcher matcher = DETECTED.matcher(api.getText("/metrics"));
    return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : -1;
  }

  private static JsonNode desk(SentinelApi api) throws Exception {
    return api.get("/health/detailed").body().at("/components/incidentDesk");
  }

  /**
   * Whether an anomaly of the faulty service from the fault on is kept on an incident: its own, or
   * an open one that semantic deduplication found to read the same.
   */
  private static boolean faultyIncidentListed(SentinelApi api, long faultStartMillis)
      throws Exception {
    SentinelApi.Reply reply = api.get("/api/v1/incidents?limit=100");
    if (reply.status() != 200) {
      return false;
    }
    for (JsonNode incident : reply.body().at("/incidents")) {
      SentinelApi.Reply detail = api.get("/api/v1/incidents/" + incident.get("id").asText());
      if (detail.status() != 200) {
        continue;
      }
      for (JsonNode anomaly : detail.body().path("anomalies")) {
        if (FAULTY.equals(anomaly.at("/labels/service").asText())
            && anomaly.get("timestampMillis").asLong() >= faultStartMillis) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void a_minute_without_postgresql_costs_detection_nothing_and_the_held_fault_becomes_an_incident()
      throws Exception {
    try (OwnPostgres postgres = OwnPostgres.launch();
        SentinelProcess sentinel =
            SentinelProcess.start(
                Map.of(
                    "SENTINEL_ADMIN_KEY",
                    ADMIN,
                    "SENTINEL_STATE_URL",
                    postgres.url(),
                    "SENTINEL_STATE_USER",
                    "postgres"),
                "run",
                "--port",
                "0",
                "--data-dir",
                dir.resolve("data").toString())) {
      String base = sentinel.awaitReady(Duration.ofSeconds(90));
      SentinelApi api = new SentinelApi(base, ADMIN);
      Load load = new Load(base);
      Thread sender = Thread.ofPlatform().name("outage-load").start(load);
      try {
        Thread.sleep(20_000); // detectors warm up on normal traffic
        long sentBefore = load.sentPoints.get();

        postgres.stop();
        long outageStarted = System.nanoTime();
        Thread.sleep(15_000);
        long faultStart = System.currentTimeMillis() - TICK_MILLIS;
        load.faulty.set(true); // svc-3's latency jumps while the state store is down
        Thread.sleep(8_000);
        load.faulty.set(false);
        long heldMax = 0;
        java.util.Set<String> deskStatuses = new java.util.TreeSet<>();
        java.util.Set<String> stateStatuses = new java.util.TreeSet<>();
        long slowestHealthMillis = 0;
        while (System.nanoTime() - outageStarted < 60_000_000_000L) {
          long asked = System.nanoTime();
          JsonNode health = api.get("/health/detailed").body();
          slowestHealthMillis =
              Math.max(slowestHealthMillis, (System.nanoTime() - asked) / 1_000_000);
          JsonNode desk = health.at("/components/incidentDesk");
          heldMax = Math.max(heldMax, desk.at("/details/held").asLong());
          deskStatuses.add(desk.at("/status").asText());
          stateStatuses.add(health.at("/components/stateStore/status").asText());
          Thread.sleep(1_000);
        }
        String seen =
            "desk "
                + desk(api)
                + "; answers "
                + load.statuses
                + "; sent "
                + load.sentPoints.get()
                + "; log tail:\n"
                + tail(sentinel.log(), 10);
        assertThat(deskStatuses)
            .as("the desk while PostgreSQL is down: %s", seen)
            .contains("DEGRADED");
        assertThat(stateStatuses).containsOnly("DOWN");
        assertThat(slowestHealthMillis)
            .as("health answers while a store is down")
            .isLessThan(5_000);
        assertThat(heldMax).as("the fault's anomalies are held at the desk").isPositive();
        long sentDuringOutage = load.sentPoints.get() - sentBefore;

        postgres.start();
        long restarted = System.nanoTime();
        long incidentAfter = -1;
        long upAfter = -1;
        while (System.nanoTime() - restarted < 90_000_000_000L
            && (incidentAfter < 0 || upAfter < 0)) {
          long elapsed = (System.nanoTime() - restarted) / 1_000_000;
          if (incidentAfter < 0 && faultyIncidentListed(api, faultStart)) {
            incidentAfter = elapsed;
          }
          if (upAfter < 0 && "UP".equals(desk(api).at("/status").asText())) {
            upAfter = elapsed;
          }
          Thread.sleep(250);
        }
        load.running.set(false);
        sender.join(15_000);

        long sent = load.sentPoints.get();
        long accepted = load.acceptedPoints.get();
        long detectedPoints = -1;
        for (int i = 0; i < 60 && detectedPoints < accepted; i++) {
          detectedPoints = detected(api);
          Thread.sleep(500);
        }
        JsonNode finalDesk = desk(api);
        System.out.printf(
            Locale.ROOT,
            "PostgresOutageIT: sent %,d points (%,d during the 60 s outage), accepted %,d,"
                + " detected %,d; answers %s; late ticks %d; desk held at most %d anomalies,"
                + " merged %d, shed %d, abandoned %d; after PostgreSQL restarted: the fault's"
                + " incident listed in %d ms, the desk UP in %d ms; slowest health answer during the"
                + " outage %d ms%n",
            sent,
            sentDuringOutage,
            accepted,
            detectedPoints,
            load.statuses,
            load.lateTicks.get(),
            heldMax,
            finalDesk.at("/details/merged").asLong(),
            finalDesk.at("/details/shed").asLong(),
            finalDesk.at("/details/abandoned").asLong(),
            incidentAfter,
            upAfter,
            slowestHealthMillis);

        assertThat(load.statuses.keySet()).as("every request accepted").containsOnly(202);
        assertThat(accepted).isEqualTo(sent);
        assertThat(detectedPoints).as("every accepted point detected").isEqualTo(accepted);
        assertThat(incidentAfter).as("the held fault became an incident").isNotNegative();
        assertThat(upAfter).as("the desk recovered").isNotNegative();
        assertThat(finalDesk.at("/details/shed").asLong()).isZero();
        assertThat(finalDesk.at("/details/abandoned").asLong()).isZero();
      } finally {
        load.running.set(false);
        sender.join(15_000);
      }
    }
  }
}
