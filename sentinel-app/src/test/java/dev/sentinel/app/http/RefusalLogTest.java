package dev.sentinel.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.audit.AuditEntry;
import dev.sentinel.audit.AuditQuery;
import dev.sentinel.audit.InMemoryAuditTrail;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RefusalLogTest {

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    long millis = 1_800_000_000_000L;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  @Test
  void the_first_refusal_of_a_minute_is_written_and_the_rest_only_counted_into_the_next_row() {
    InMemoryAuditTrail audit = new InMemoryAuditTrail();
    TestClock clock = new TestClock();
    RefusalLog refusals =
        new RefusalLog(audit, clock, LoggerFactory.getLogger(RefusalLogTest.class), "test");

    assertThat(refusals.refused("slack:unverified", null, "forged", Map.of("reason", "forged")))
        .isTrue();
    for (int i = 0; i < 499; i++) {
      clock.millis += 100;
      assertThat(refusals.refused("slack:unverified", null, "forged", Map.of())).isFalse();
    }
    assertThat(audit.find(AuditQuery.all(100))).hasSize(1);
    assertThat(refusals.pending()).isEqualTo(499);

    clock.millis += RefusalLog.WINDOW_MILLIS;
    assertThat(refusals.refused("slack:unverified", null, "forged", Map.of("reason", "forged")))
        .isTrue();
    List<AuditEntry> rows = audit.find(AuditQuery.all(100));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1).record().details()).containsEntry("suppressed", "499");
    assertThat(refusals.pending()).isZero();
  }

  @Test
  void each_reason_gets_its_first_row_of_the_minute_so_a_replay_is_not_hidden_by_forgeries() {
    InMemoryAuditTrail audit = new InMemoryAuditTrail();
    TestClock clock = new TestClock();
    RefusalLog refusals =
        new RefusalLog(audit, clock, LoggerFactory.getLogger(RefusalLogTest.class), "test");
    for (int i = 0; i < 100; i++) {
      refusals.refused("slack:unverified", null, "forged", Map.of("reason", "forged"));
    }
    assertThat(refusals.refused("slack:unverified", null, "replayed", Map.of("reason", "replayed")))
        .isTrue();
    assertThat(refusals.refused("slack:unverified", null, "replayed", Map.of())).isFalse();
    assertThat(audit.find(AuditQuery.all(100)))
        .extracting(entry -> entry.record().details().get("reason"))
        .containsExactlyInAnyOrder("forged", "replayed");
  }
}
