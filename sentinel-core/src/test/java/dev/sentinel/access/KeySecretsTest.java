package dev.sentinel.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeySecretsTest {

  @Test
  void secrets_are_prefixed_base62_with_256_bits() {
    String secret = KeySecrets.newSecret(new SecureRandom());
    assertThat(secret).startsWith("snt_").hasSize(47).matches("snt_[0-9A-Za-z]{43}");
    assertThat(KeySecrets.newId(new SecureRandom())).matches("key_[0-9A-Za-z]{12}");
  }

  @Test
  void secrets_do_not_repeat() {
    SplittableRandom random = new SplittableRandom(7);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(KeySecrets.newSecret(random))).isTrue();
    }
  }

  @Test
  void the_hash_is_hex_sha256() {
    assertThat(KeySecrets.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void a_supplied_secret_must_be_long_and_without_whitespace() {
    assertThatThrownBy(() -> KeySecrets.checkSupplied("admin123"))
        .hasMessageContaining("at least 32 characters");
    assertThatThrownBy(() -> KeySecrets.checkSupplied("a".repeat(20) + " " + "b".repeat(20)))
        .hasMessageContaining("whitespace");
    assertThat(KeySecrets.checkSupplied("x".repeat(32))).hasSize(32);
  }
}
