package dev.sentinel.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DetectionConfigTest {

  @Test
  void built_in_defaults_are_complete_and_enable_every_detector() {
    MetricDetection defaults = MetricDetection.defaults();

    assertThat(defaults.isComplete()).isTrue();
    assertThat(defaults.detectors()).containsExactlyInAnyOrder(DetectorKind.values());
    assertThat(defaults.minSamples()).isEqualTo(30);
    assertThat(DetectionConfig.builtIn().defaults()).isEqualTo(defaults);
  }

  @Test
  void a_negative_threshold_is_rejected_with_the_field_and_the_value() {
    assertThatThrownBy(() -> MetricDetection.inherit().withZScoreThreshold(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zScoreThreshold must be > 0")
        .hasMessageContaining("was -1.0");
  }

  @Test
  void out_of_range_integers_and_rates_name_their_field() {
    assertThatThrownBy(() -> MetricDetection.inherit().withWindowSize(4))
        .hasMessage("windowSize must be in [8, 1024], was 4");
    assertThatThrownBy(() -> MetricDetection.inherit().withMinSamples(1))
        .hasMessage("minSamples must be in [2, 1000000], was 1");
    assertThatThrownBy(() -> MetricDetection.inherit().withSensitivity(0))
        .hasMessageContaining("sensitivity must be > 0");
    assertThatThrownBy(
            () ->
                new MetricDetection(
                    null, null, null, null, null, null, 1.5, null, null, null, null, null, null,
                    null, null))
        .hasMessage("levelAlpha must be < 1, was 1.5");
    assertThatThrownBy(
            () ->
                new MetricDetection(
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    Double.NaN,
                    null,
                    null))
        .hasMessage("minRelativeSpread must be in [0, 1), was NaN");
    assertThatThrownBy(() -> MetricDetection.inherit().withFirstDayCaution(0.5))
        .hasMessage("firstDayCaution must be in [1, 10], was 0.5");
  }

  @Test
  void unset_fields_inherit_from_the_configured_defaults_then_the_built_in_ones() {
    MetricDetection defaults = MetricDetection.inherit().withSensitivity(2);
    MetricOverride latency =
        new MetricOverride("latency_*", MetricDetection.inherit().withMinSamples(60));
    DetectionConfig config = new DetectionConfig(defaults, List.of(latency));

    MetricDetection resolved = config.resolve("latency_p99_ms");

    assertThat(resolved.minSamples()).isEqualTo(60);
    assertThat(resolved.sensitivity()).isEqualTo(2);
    assertThat(resolved.windowSize()).isEqualTo(MetricDetection.defaults().windowSize());
    assertThat(config.resolve("cpu_usage").minSamples()).isEqualTo(30);
  }

  @Test
  void the_first_matching_override_wins() {
    DetectionConfig config =
        DetectionConfig.of(
            MetricDetection.defaults(),
            new MetricOverride("http_*_errors", MetricDetection.inherit().withSensitivity(3)),
            new MetricOverride("http_*", MetricDetection.inherit().withSensitivity(0.5)));

    assertThat(config.resolve("http_5xx_errors").sensitivity()).isEqualTo(3);
    assertThat(config.resolve("http_requests").sensitivity()).isEqualTo(0.5);
  }

  @Test
  void globs_match_whole_names_with_star_and_question_mark() {
    assertThat(MetricOverride.globMatches("latency_*", "latency_p99_ms")).isTrue();
    assertThat(MetricOverride.globMatches("latency_*", "api_latency")).isFalse();
    assertThat(MetricOverride.globMatches("*_bytes", "disk_read_bytes")).isTrue();
    assertThat(MetricOverride.globMatches("cpu?", "cpu1")).isTrue();
    assertThat(MetricOverride.globMatches("cpu?", "cpu12")).isFalse();
    assertThat(MetricOverride.globMatches("a*b*c", "aXXbYYc")).isTrue();
    assertThat(MetricOverride.globMatches("a*b*c", "aXXbYY")).isFalse();
    assertThat(MetricOverride.globMatches("*", "")).isTrue();
  }

  @Test
  void a_blank_override_glob_is_rejected() {
    assertThatThrownBy(() -> new MetricOverride(" ", MetricDetection.inherit()))
        .hasMessageContaining("metric glob must not be blank");
  }

  @Test
  void the_detector_set_is_copied_and_unmodifiable() {
    Set<DetectorKind> kinds = EnumSet.of(DetectorKind.ZSCORE);
    MetricDetection detection = MetricDetection.inherit().withDetectors(kinds);
    kinds.add(DetectorKind.SEASONAL);

    assertThat(detection.detectors()).containsExactly(DetectorKind.ZSCORE);
    assertThatThrownBy(() -> detection.detectors().add(DetectorKind.ROBUST))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void null_defaults_and_overrides_mean_the_built_in_configuration() {
    DetectionConfig config = new DetectionConfig(null, null);

    assertThat(config.defaults()).isEqualTo(MetricDetection.defaults());
    assertThat(config.overrides()).isEmpty();
  }

  /** Ten quiet points a minute apart after a long quiet history, then a step far outside. */
  private static List<Anomaly> spikeIn(DetectionConfig config, String metric) {
    Probe probe = new Probe(config, metric, 3);
    probe.feedNoise(Probe.START, 600, 100, 2);
    probe.feed(Probe.START + 600 * Probe.MINUTE, 400);
    return probe.anomalies;
  }

  @Test
  void sentinel_s_own_metrics_are_not_judged_unless_asked_for() {
    DetectionConfig builtIn = DetectionConfig.builtIn();
    assertThat(builtIn.resolve("sentinel_bus_queued_points").detectors()).isEmpty();
    assertThat(builtIn.resolve("sentinel").detectors()).isNotEmpty();
    assertThat(builtIn.resolve("my_sentinel_jobs").detectors()).isNotEmpty();
    // An override that matches them does not bring them in: only ownMetrics does.
    DetectionConfig everything =
        new DetectionConfig(
            MetricDetection.defaults(),
            List.of(new MetricOverride("*", MetricDetection.inherit().withSensitivity(2))));
    assertThat(everything.resolve("sentinel_bus_queued_points").detectors()).isEmpty();

    assertThat(spikeIn(builtIn, "sentinel_bus_queued_points")).isEmpty();
    assertThat(spikeIn(builtIn, "bus_queued_points")).hasSize(1);
    DetectionConfig own = new DetectionConfig(MetricDetection.defaults(), List.of(), true);
    assertThat(spikeIn(own, "sentinel_bus_queued_points")).hasSize(1);
  }
}
