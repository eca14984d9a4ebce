package dev.sentinel.app.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final LoggerContext context = new LoggerContext();
  private final JsonLineEncoder encoder = new JsonLineEncoder();

  private JsonNode encode(Map<String, String> mdc, Throwable thrown) throws Exception {
    LoggingEvent event =
        new LoggingEvent(
            "fqcn",
            context.getLogger("incident"),
            Level.INFO,
            "incident {} \"opened\"",
            thrown,
            new Object[] {"inc-1"});
    event.setMDCPropertyMap(mdc);
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertThat(line).endsWith("}\n").doesNotContain("\n{");
    return JSON.readTree(line);
  }

  @Test
  void a_line_is_one_flat_json_object_with_the_trace_id_of_the_mdc() throws Exception {
    JsonNode line = encode(Map.of("traceId", "ab".repeat(16), "requestId", "req-1"), null);
    assertThat(line.get("traceId").asText()).isEqualTo("ab".repeat(16));
    assertThat(line.get("requestId").asText()).isEqualTo("req-1");
    assertThat(line.get("message").asText()).isEqualTo("incident inc-1 \"opened\"");
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("logger").asText()).isEqualTo("incident");
  }

  @Test
  void a_line_outside_any_request_or_incident_still_has_a_trace_id() throws Exception {
    JsonNode line = encode(Map.of(), new IllegalStateException("boom"));
    assertThat(line.get("traceId").asText()).isEqualTo(TraceIds.NONE);
    assertThat(line.get("exception").asText()).contains("IllegalStateException: boom");
  }
}
