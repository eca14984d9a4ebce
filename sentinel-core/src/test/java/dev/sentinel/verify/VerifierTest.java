package dev.sentinel.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.detect.AnomalyLog;
import dev.sentinel.detect.DetectorKind;
import dev.sentinel.detect.Direction;
import dev.sentinel.history.StoredPoint;
import dev.sentinel.history.TelemetryStore;
import dev.sentinel.history.TimeRange;
import dev.sentinel.history.UnsupportedTelemetryStore;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.Severity;
import dev.sentinel.ingest.LatestValues;
import dev.sentinel.ingest.SeriesKey;
import dev.sentinel.ingest.SeriesRegistry;
import dev.sentinel.testing.ManualClock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The verifier against a scripted world: each test says what the incident's series read at each
 * moment after the action; the clock moves to each reading the verifier asks for, and the world's
 * values at that moment are recorded before it reads them.
 */
class VerifierTest {

  private static final long ACTION = 1_800_000_000_000L;
  private static final Map<String, String> CHECKOUT = Map.of("service", "checkout");

  private final ManualClock clock = new ManualClock(ACTION);
  private final SeriesRegistry registry = new SeriesRegistry();
  private final LatestValues latest = new LatestValues();
  private final AnomalyLog anomalies = new AnomalyLog(1000);

  private final SeriesKey latency = SeriesKey.of("latency_p99_ms", CHECKOUT);
  private final SeriesKey errors = SeriesKey.of("error_rate", CHECKOUT);
  private final SeriesKey cpu = SeriesKey.of("cpu_utilization", CHECKOUT);
  private final SeriesKey queue = SeriesKey.of("queue_depth", CHECKOUT);

  /** What the world reads at a time after the action: latency, error rate, cpu, queue depth. */
  private record Reading(double latency, double errors, double cpu, double queue) {}

  /** Latency expected 0..100 ms, errors 0..1 %: the incident is latency 1000 ms and 5 % errors. */
  private static final Reading SICK = new Reading(1000, 0.05, 0.5, 2);

  private static final Reading HEALTHY = new Reading(60, 0.004, 0.5, 2);

  private Incident incident() {
    List<Anomaly> symptoms =
        List.of(
            anomaly(latency, ACTION - 10_000, 1000, 0, 100),
            anomaly(errors, ACTION - 9_000, 0.05, 0, 0.01));
    return new Incident(
        "inc-1",
        "service=checkout",
        CHECKOUT,
        IncidentStatus.REMEDIATING,
        Severity.HIGH,
        ACTION - 10_000,
        ACTION - 9_000,
        0,
        symptoms.size(),
        9,
        0.9,
        Set.of(latency.text(), errors.text()),
        symptoms,
        null);
  }

  private static Anomaly anomaly(SeriesKey series, long at, double value, double low, double high) {
    return new Anomaly(
        series, at, value, low, high, 9, 0.9, Direction.UP, Set.of(DetectorKind.ZSCORE));
  }

  private RecoveryReport verify(LongFunction<Reading> world) {
    return run(verifier(), world(world));
  }

  private Verifier verifier() {
    return new Verifier(new VerifyConfig(30, 2, 5, 1.5), anomalies, latest, registry, clock);
  }

  /** Records the world's reading at the clock's time (after the action) into the latest values. */
  private Runnable world(LongFunction<Reading> world) {
    int latencyId = registry.intern(latency);
    int errorsId = registry.intern(errors);
    int cpuId = registry.intern(cpu);
    int queueId = registry.intern(queue);
    Runnable reading =
        () -> record(world.apply(clock.millis() - ACTION), latencyId, errorsId, cpuId, queueId);
    reading.run();
    return reading;
  }

  /**
   * Verifies as the workflow does: starts at the action, then checks until a verdict, moving the
   * clock to each reading the verifier asks for and letting the world move meanwhile.
   */
  private RecoveryReport run(Verifier verifier, Runnable worldMoves) {
    Verifier.Check check = verifier.check(incident(), verifier.start(incident(), ACTION));
    while (check instanceof Verifier.Check.Again again) {
      clock.advance(again.progress().nextAtMillis() - clock.millis());
      worldMoves.run();
      check = verifier.check(incident(), again.progress());
    }
    return ((Verifier.Check.Done) check).report();
  }

  private void record(Reading reading, int latencyId, int errorsId, int cpuId, int queueId) {
    long now = clock.millis();
    latest.record(latencyId, now, reading.latency());
    latest.record(errorsId, now, reading.errors());
    latest.record(cpuId, now, reading.cpu());
    latest.record(queueId, now, reading.queue());
    if (reading.cpu() > 0.9) {
      anomalies.accept(anomaly(cpu, now, reading.cpu(), 0.2, 0.7));
    }
    if (reading.queue() > 20) {
      anomalies.accept(anomaly(queue, now, reading.queue(), 0, 10));
    }
  }

  /**
   * In a fleet the workflow may run on an instance whose Kafka partitions do not carry the
   * incident's series: it has never seen them, and reads them from the shared store instead.
   */
  @Test
  void an_instance_that_never_saw_the_series_reads_them_from_the_shared_store() throws Exception {
    Map<String, List<StoredPoint>> shared = new ConcurrentHashMap<>();
    TelemetryStore store =
        new UnsupportedTelemetryStore() {
          @Override
          public List<StoredPoint> points(SeriesKey series, TimeRange range, int limit) {
            return shared.getOrDefault(series.text(), List.of()).stream()
                .filter(point -> point.timestampMillis() >= range.fromMillis())
                .filter(point -> point.timestampMillis() < range.toMillis())
                .limit(limit)
                .toList();
          }
        };
    LongFunction<Reading> world = after -> after < 4_000 ? SICK : HEALTHY;
    // The instance that owns the series writes them to the store as the clock moves.
    Runnable elsewhere =
        () -> {
          Reading reading = world.apply(clock.millis() - ACTION);
          shared
              .computeIfAbsent(latency.text(), text -> new CopyOnWriteArrayList<>())
              .add(new StoredPoint(clock.millis(), reading.latency()));
          shared
              .computeIfAbsent(errors.text(), text -> new CopyOnWriteArrayList<>())
              .add(new StoredPoint(clock.millis(), reading.errors()));
        };
    VerifyConfig config = new VerifyConfig(30, 2, 5, 1.5);

    Verifier withStore =
        new Verifier(
            config,
            new AnomalyLog(10),
            new LatestValues(),
            new SeriesRegistry(),
            java.util.Optional.of(store),
            clock);
    assertThat(run(withStore, elsewhere).recovery()).isEqualTo(Recovery.RECOVERED);

    Verifier alone =
        new Verifier(config, new AnomalyLog(10), new LatestValues(), new SeriesRegistry(), clock);
    RecoveryReport blind = run(alone, elsewhere);
    assertThat(blind.recovery()).isEqualTo(Recovery.UNCHANGED);
  }

  @Test
  void symptoms_back_in_range_for_the_quiet_period_mean_recovered() throws Exception {
    RecoveryReport report = verify(after -> after < 4_000 ? SICK : HEALTHY);

    assertThat(report.recovery()).isEqualTo(Recovery.RECOVERED);
    assertThat(report.summary()).contains("5 s");
    assertThat(clock.millis() - ACTION).isBetween(9_000L, 10_000L);
  }

  @Test
  void symptoms_that_stay_where_they_were_are_unchanged_at_the_end_of_the_window()
      throws Exception {
    RecoveryReport report = verify(after -> SICK);

    assertThat(report.recovery()).isEqualTo(Recovery.UNCHANGED);
    assertThat(clock.millis() - ACTION).isEqualTo(30_000);
  }

  @Test
  void the_worst_symptom_moving_further_out_is_worse() throws Exception {
    RecoveryReport report = verify(after -> after < 1_000 ? SICK : new Reading(2500, 0.05, 0.5, 2));

    assertThat(report.recovery()).isEqualTo(Recovery.WORSE);
    assertThat(report.summary()).contains("range widths outside their expected ranges");
  }

  @Test
  void a_capped_symptom_hides_nothing_when_another_worsens_and_none_recovers() throws Exception {
    // The latency is pinned at its ceiling; the error rate doubles (still below the latency's
    // excess, so the worst symptom alone would not call it).
    RecoveryReport report = verify(after -> after < 1_000 ? SICK : new Reading(1000, 0.1, 0.5, 2));

    assertThat(report.recovery()).isEqualTo(Recovery.WORSE);
    assertThat(report.summary()).contains("error_rate").contains("no symptom recovered");
  }

  @Test
  void a_symptom_that_was_inside_its_range_all_along_does_not_hide_a_worsening() throws Exception {
    // The likelihood reported the cpu for a change inside its band: it was never out of range.
    anomalies.accept(
        new Anomaly(cpu, ACTION - 5_000, 0.5, 0.0, 1.0, 0.3, 0.0, Direction.UP, Set.of()));
    RecoveryReport report = verify(after -> after < 1_000 ? SICK : new Reading(1000, 0.1, 0.5, 2));

    assertThat(report.recovery()).isEqualTo(Recovery.WORSE);
    assertThat(report.summary()).contains("error_rate");
  }

  @Test
  void one_symptom_worse_while_another_recovered_is_not_worse() throws Exception {
    // Latency comes back at once; errors double for a while (callers retrying), then settle.
    RecoveryReport report =
        verify(
            after ->
                after < 1_000 ? SICK : after < 12_000 ? new Reading(60, 0.1, 0.5, 2) : HEALTHY);

    assertThat(report.recovery()).isEqualTo(Recovery.RECOVERED);
  }

  @Test
  void a_worse_reading_shorter_than_three_seconds_does_not_count() throws Exception {
    RecoveryReport report =
        verify(
            after ->
                after < 2_500 ? SICK : after < 4_500 ? new Reading(5000, 0.2, 0.5, 2) : HEALTHY);

    assertThat(report.recovery()).isEqualTo(Recovery.RECOVERED);
  }

  @Test
  void healthy_series_rising_out_of_range_after_the_action_is_worse() throws Exception {
    RecoveryReport report =
        verify(after -> after < 1_000 ? SICK : new Reading(1000, 0.05, 0.99, 80));

    assertThat(report.recovery()).isEqualTo(Recovery.WORSE);
    assertThat(report.summary()).contains("2 series that were fine before rose out of range");
  }

  @Test
  void back_to_normal_reads_the_latest_values_against_the_ranges_from_the_start() throws Exception {
    verify(after -> after < 1_000 ? SICK : HEALTHY);
    Verifier verifier = new Verifier(VerifyConfig.defaults(), anomalies, latest, registry, clock);

    assertThat(verifier.backToNormal(incident())).isTrue();
    latest.record(registry.find(errors.text()), clock.millis(), 0.3);
    assertThat(verifier.backToNormal(incident())).isFalse();
  }

  @Test
  void traffic_that_stays_high_after_a_scale_out_does_not_hold_back_recovery() throws Exception {
    SeriesKey requests = SeriesKey.of("request_rate", CHECKOUT);
    int requestsId = registry.intern(requests);
    anomalies.accept(anomaly(requests, ACTION - 11_000, 800, 150, 250));
    latest.record(requestsId, ACTION, 800);

    RecoveryReport report = verify(after -> after < 1_000 ? SICK : HEALTHY);

    assertThat(latest.value(requestsId)).isEqualTo(800);
    assertThat(report.recovery()).isEqualTo(Recovery.RECOVERED);
  }

  @Test
  void each_check_takes_one_reading_and_asks_for_the_next_within_a_poll() {
    Runnable world = world(after -> SICK);
    Verifier verifier = verifier();
    VerifyProgress progress = verifier.start(incident(), ACTION);
    List<Long> readings = new java.util.ArrayList<>();
    Verifier.Check check = verifier.check(incident(), progress);
    while (check instanceof Verifier.Check.Again again) {
      long next = again.progress().nextAtMillis();
      assertThat(next - clock.millis()).isBetween(1L, Verifier.POLL_MILLIS);
      clock.advance(next - clock.millis());
      readings.add(clock.millis() - ACTION);
      world.run();
      check = verifier.check(incident(), again.progress());
    }

    assertThat(((Verifier.Check.Done) check).report().recovery()).isEqualTo(Recovery.UNCHANGED);
    assertThat(readings).hasSize(30).startsWith(1_000L, 2_000L).endsWith(30_000L);
  }

  @Test
  void the_quiet_time_is_counted_across_checks_from_the_progress_they_hand_on() {
    Runnable world = world(after -> HEALTHY);
    Verifier verifier = verifier();
    VerifyProgress progress = verifier.start(incident(), ACTION);
    clock.advance(2_000); // the end of the grace: the first reading that counts
    world.run();
    VerifyProgress normal =
        ((Verifier.Check.Again) verifier.check(incident(), progress)).progress();
    assertThat(normal.normalSinceMillis()).isEqualTo(ACTION + 2_000);
    assertThat(normal.nextAtMillis()).isEqualTo(ACTION + 3_000);

    clock.advance(5_000); // the quiet time, with no reading in between
    world.run();
    // Another verifier (another instance) given the progress reaches the verdict ...
    Verifier elsewhere = verifier();
    assertThat(elsewhere.check(incident(), normal))
        .isInstanceOfSatisfying(
            Verifier.Check.Done.class,
            done -> assertThat(done.report().recovery()).isEqualTo(Recovery.RECOVERED));
    // ... and one that forgot since when the symptoms are normal starts counting again.
    assertThat(elsewhere.check(incident(), normal.next(-1, -1, clock.millis())))
        .isInstanceOfSatisfying(
            Verifier.Check.Again.class,
            again -> assertThat(again.progress().normalSinceMillis()).isEqualTo(clock.millis()));
  }

  @Test
  void worse_readings_are_timed_from_the_first_and_the_verdict_is_read_when_due() {
    Runnable world = world(after -> after < 2_500 ? SICK : new Reading(2500, 0.05, 0.5, 2));
    Verifier verifier = verifier();
    Verifier.Check check = verifier.check(incident(), verifier.start(incident(), ACTION));
    List<Long> worseSince = new java.util.ArrayList<>();
    while (check instanceof Verifier.Check.Again again) {
      worseSince.add(again.progress().worseSinceMillis());
      clock.advance(again.progress().nextAtMillis() - clock.millis());
      world.run();
      check = verifier.check(incident(), again.progress());
    }

    assertThat(((Verifier.Check.Done) check).report().recovery()).isEqualTo(Recovery.WORSE);
    assertThat(worseSince).contains(-1L, ACTION + 3_000).doesNotContain(ACTION + 4_000);
    assertThat(clock.millis() - ACTION).isEqualTo(6_000);
  }

  @Test
  void a_reading_after_an_outage_past_the_deadline_ends_the_verification_unchanged() {
    Runnable world = world(after -> SICK);
    Verifier verifier = verifier();
    VerifyProgress progress =
        ((Verifier.Check.Again) verifier.check(incident(), verifier.start(incident(), ACTION)))
            .progress();
    clock.advance(10 * 60_000); // every instance was down for ten minutes
    world.run();

    Verifier.Check check = verifier.check(incident(), progress);
    assertThat(check).isInstanceOf(Verifier.Check.Done.class);
    RecoveryReport report = ((Verifier.Check.Done) check).report();
    assertThat(report.recovery()).isEqualTo(Recovery.UNCHANGED);
    assertThat(report.summary()).contains("30 s after the action");
  }
}
