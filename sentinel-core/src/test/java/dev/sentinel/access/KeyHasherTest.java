package dev.sentinel.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyHasherTest {

  private static KeyHasher hasher(String pepper) {
    return new KeyHasher(pepper.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void the_stored_hash_depends_on_the_pepper_and_upgrades_a_plain_one() {
    KeyHasher one = hasher("the first pepper, thirty-two bytes");
    KeyHasher two = hasher("the other pepper, thirty-two bytes");
    String secret = "snt_" + "a".repeat(43);

    assertThat(one.hash(secret)).hasSize(64).isNotEqualTo(two.hash(secret));
    assertThat(one.hash(secret)).isNotEqualTo(KeySecrets.hash(secret));
    assertThat(one.upgrade(KeySecrets.hash(secret))).isEqualTo(one.hash(secret));
  }

  @Test
  void a_pepper_shorter_than_32_bytes_is_refused() {
    assertThatThrownBy(() -> hasher("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes");
  }
}
