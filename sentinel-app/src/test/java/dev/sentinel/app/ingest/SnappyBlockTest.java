package dev.sentinel.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.ingest.BatchTooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** Our decompressor against the reference compressor (snappy-java, Google's C++ Snappy). */
class SnappyBlockTest {

  private static byte[] roundTrip(byte[] data) throws Exception {
    byte[] compressed = Snappy.compress(data);
    return SnappyBlock.uncompress(compressed, compressed.length, data.length);
  }

  @Test
  void decompresses_what_the_reference_compressor_made() throws Exception {
    Random random = new Random(42);
    byte[] noise = new byte[100_000];
    random.nextBytes(noise);
    StringBuilder repetitive = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      repetitive
          .append("http_requests_total{service=\"checkout\",code=\"")
          .append(i % 5)
          .append("\"} ");
    }
    byte[] text = repetitive.toString().getBytes(StandardCharsets.UTF_8);
    byte[] runs = new byte[300_000];
    Arrays.fill(runs, (byte) 7);
    for (byte[] data :
        new byte[][] {noise, text, runs, new byte[0], "a".getBytes(StandardCharsets.UTF_8)}) {
      assertThat(roundTrip(data)).isEqualTo(data);
    }
    assertThat(Snappy.compress(text).length).isLessThan(text.length / 5);
  }

  @Test
  void a_truncated_or_garbage_block_is_refused_as_invalid() throws Exception {
    byte[] compressed =
        Snappy.compress("hello hello hello hello hello".getBytes(StandardCharsets.UTF_8));
    byte[] truncated = Arrays.copyOf(compressed, compressed.length - 3);
    assertThatThrownBy(() -> SnappyBlock.uncompress(truncated, truncated.length, 1 << 20))
        .isInstanceOf(InvalidPointsException.class)
        .hasMessageContaining("not a valid Snappy block");
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> SnappyBlock.uncompress(garbage, garbage.length, 1 << 20))
        .isInstanceOf(InvalidPointsException.class);
    byte[] backReference = {5, 0b0000_0001 | (1 << 2), 9}; // a copy before any output
    assertThatThrownBy(() -> SnappyBlock.uncompress(backReference, backReference.length, 1 << 20))
        .isInstanceOf(InvalidPointsException.class)
        .hasMessageContaining("before the start");
  }

  @Test
  void a_block_announcing_more_than_the_limit_is_too_large_before_anything_is_allocated()
      throws Exception {
    byte[] compressed = Snappy.compress(new byte[1 << 20]);
    assertThatThrownBy(() -> SnappyBlock.uncompress(compressed, compressed.length, 1000))
        .isInstanceOf(BatchTooLargeException.class)
        .hasMessageContaining("1048576 bytes");
  }
}
