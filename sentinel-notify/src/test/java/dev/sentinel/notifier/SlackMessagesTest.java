package dev.sentinel.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.notify.Notification;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of Sentinel's Slack messages carry which buttons. */
class SlackMessagesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<String> buttons(Notification notification) {
    JsonNode message = JSON.valueToTree(SlackMessages.message(notification, ""));
    List<String> found = new ArrayList<>();
    for (JsonNode block : message.get("blocks")) {
      if (block.path("type").asText().equals("actions")) {
        block.get("elements").forEach(button -> found.add(button.get("action_id").asText()));
        assertThat(block.get("elements").findValuesAsText("value")).containsOnly("inc-7");
      }
    }
    return found;
  }

  @Test
  void an_opened_incident_can_be_acknowledged_or_taken_over() {
    assertThat(
            buttons(
                new Notification.IncidentOpened(
                    "inc-7", 1, "api", "HIGH", "error_rate above its expected range")))
        .containsExactly(SlackMessages.ACKNOWLEDGE, SlackMessages.TAKE_OVER);
  }

  @Test
  void an_escalated_incident_can_be_taken_over_and_other_updates_offer_nothing() {
    assertThat(
            buttons(
                new Notification.IncidentUpdated(
                    "inc-7", 2, "escalated", "sentinel", "a human must take over")))
        .containsExactly(SlackMessages.TAKE_OVER);
    assertThat(
            buttons(
                new Notification.IncidentUpdated(
                    "inc-7", 3, "approved", "slack:alice", "approved by slack:alice")))
        .isEmpty();
    assertThat(buttons(new Notification.IncidentResolved("inc-7", 4, "recovered"))).isEmpty();
  }
}
