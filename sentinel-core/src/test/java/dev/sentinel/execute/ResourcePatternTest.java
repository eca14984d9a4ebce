package dev.sentinel.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResourcePatternTest {

  @Test
  void a_single_star_stays_within_one_segment() {
    ResourcePattern pattern = new ResourcePattern("prod/deployment/checkout-*");

    assertThat(pattern.matches("prod/deployment/checkout-web")).isTrue();
    assertThat(pattern.matches("prod/deployment/checkout-")).isTrue();
    assertThat(pattern.matches("prod/deployment/cart")).isFalse();
    assertThat(pattern.matches("prod/deployment/checkout-web/extra")).isFalse();
    assertThat(pattern.matches("staging/deployment/checkout-web")).isFalse();
  }

  @Test
  void a_double_star_crosses_segments() {
    assertThat(new ResourcePattern("prod/**").matches("prod/statefulset/db")).isTrue();
    assertThat(new ResourcePattern("**").matches("anything/at/all")).isTrue();
    assertThat(new ResourcePattern("prod/*").matches("prod/statefulset/db")).isFalse();
  }

  @Test
  void other_characters_match_literally() {
    assertThat(new ResourcePattern("i-0abc?").matches("i-0abcd")).isTrue();
    assertThat(new ResourcePattern("a.b").matches("aXb")).isFalse();
    assertThat(new ResourcePattern("prod-cluster/checkout").matches("prod-cluster/checkout"))
        .isTrue();
  }

  @Test
  void a_blank_pattern_is_refused_when_the_configuration_is_read() {
    assertThatThrownBy(
            () ->
                new SafetyConfig(
                    false, java.util.Map.of("kubernetes", List.of(" ")), ActionLimits.defaults()))
        .hasMessageContaining("must not be blank");
  }

  @Test
  void limits_check_their_own_consistency() {
    assertThatThrownBy(() -> new ActionLimits(0.5, 10, 1))
        .hasMessageContaining("maxScaleFactor must be >= 1");
    assertThatThrownBy(() -> new ActionLimits(2, 1, 3)).hasMessageContaining("maxReplicas (1)");
  }

  @Test
  void two_executors_for_one_platform_are_refused() {
    assertThatThrownBy(
            () ->
                new ExecutorRegistry(
                    List.of(
                        new ScriptedExecutor("kubernetes"), new ScriptedExecutor("kubernetes"))))
        .hasMessageContaining("two executors act on platform 'kubernetes'");
  }
}
