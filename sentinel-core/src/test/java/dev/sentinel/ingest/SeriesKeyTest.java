package dev.sentinel.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesKeyTest {

  @Test
  void label_order_does_not_change_identity_or_text() {
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    SeriesKey first = SeriesKey.of("cpu", ba);
    SeriesKey second = SeriesKey.of("cpu", Map.of("a", "1", "b", "2"));
    assertThat(first).isEqualTo(second);
    assertThat(first.text()).isEqualTo("cpu{a=\"1\",b=\"2\"}");
  }

  @Test
  void quotes_and_backslashes_in_values_are_escaped() {
    assertThat(SeriesKey.of("m", Map.of("path", "a\"b\\c")).text())
        .isEqualTo("m{path=\"a\\\"b\\\\c\"}");
  }

  @Test
  void blank_names_are_refused() {
    assertThatThrownBy(() -> SeriesKey.of(" ")).hasMessageContaining("blank");
  }

  @Test
  void the_registry_gives_one_dense_id_per_series() {
    SeriesRegistry registry = new SeriesRegistry();
    int cpu = registry.intern(SeriesKey.of("cpu", Map.of("host", "a")));
    int mem = registry.intern(SeriesKey.of("mem", Map.of("host", "a")));
    assertThat(registry.intern(SeriesKey.of("cpu", Map.of("host", "a")))).isEqualTo(cpu);
    assertThat(mem).isEqualTo(cpu + 1);
    assertThat(registry.find("cpu{host=\"a\"}")).isEqualTo(cpu);
    assertThat(registry.find("nope")).isEqualTo(-1);
    assertThat(registry.key(mem).name()).isEqualTo("mem");
  }

  @Test
  void parsing_the_text_gives_the_key_back() {
    SeriesKey key = SeriesKey.of("m", Map.of("b", "x\"y", "a", "back\\slash", "c", "two\nlines"));
    assertThat(SeriesKey.parse(key.text())).isEqualTo(key);
    assertThat(SeriesKey.parse("cpu")).isEqualTo(SeriesKey.of("cpu"));
    assertThat(SeriesKey.parse("cpu{a=\"\"}")).isEqualTo(SeriesKey.of("cpu", Map.of("a", "")));
  }

  @Test
  void text_that_is_not_canonical_is_refused() {
    assertThatThrownBy(() -> SeriesKey.parse("m{a=\"1\"x}")).hasMessageContaining("canonical");
    assertThatThrownBy(() -> SeriesKey.parse("m{a}")).hasMessageContaining("canonical");
    assertThatThrownBy(() -> SeriesKey.parse("m{a=\"1}")).hasMessageContaining("canonical");
  }
}
