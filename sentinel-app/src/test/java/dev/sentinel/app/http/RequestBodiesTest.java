package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

  private static byte[] read(
      byte[] sent, long announced, RequestBodies.Encoding encoding, long limit) {
    return RequestBodies.read(
        new ByteArrayInputStream(sent), announced, encoding, limit, "test.limit");
  }

  @Test
  void a_body_of_exactly_the_limit_is_read_whole_and_one_byte_more_is_refused() {
    byte[] exact = new byte[4096];
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          assertThat(read(exact, -1, RequestBodies.Encoding.IDENTITY, 4096)).hasSize(4096);
          assertThat(read(EndpointFuzzing.gzip(exact), -1, RequestBodies.Encoding.GZIP, 4096))
              .hasSize(4096);
        });
    assertThatThrownBy(() -> read(new byte[4097], -1, RequestBodies.Encoding.IDENTITY, 4096))
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessageContaining("test.limit");
    assertThatThrownBy(
            () -> read(EndpointFuzzing.gzip(new byte[4097]), -1, RequestBodies.Encoding.GZIP, 4096))
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessageContaining("the decompressed body (test.limit)");
  }

  @Test
  void a_length_announced_past_the_limit_is_refused_before_reading() {
    assertThatThrownBy(() -> read(new byte[0], 5000, RequestBodies.Encoding.IDENTITY, 4096))
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessageContaining("5000 bytes");
  }

  @Test
  void a_body_that_is_not_the_gzip_it_claims_is_a_bad_request() {
    assertThatThrownBy(() -> read("plain".getBytes(), -1, RequestBodies.Encoding.GZIP, 4096))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("not valid gzip");
  }
}
