package dev.sentinel.notifier;

import dev.sentinel.notify.Notification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sentinel's Slack messages in Block Kit. The approval request carries Approve and Reject buttons
 * whose {@code value} is the incident id: the click comes back to {@code POST
 * /api/v1/slack/interactions} with it.
 */
public final class SlackMessages {

  /** The buttons' action ids, which the interactions endpoint maps to a decision. */
  public static final String APPROVE = "sentinel_approve";

  public static final String REJECT = "sentinel_reject";

  /** The action id of the Acknowledge button on an opened incident: someone is on it. */
  public static final String ACKNOWLEDGE = "sentinel_acknowledge";

  /** The action id of the Take over button: a person owns the incident, automation stops. */
  public static final String TAKE_OVER = "sentinel_take_over";

  private SlackMessages() {}

  /** The message for a notification: {@code text} (the fallback for notifications) and blocks. */
  public static Map<String, Object> message(Notification notification, String consoleUrl) {
    return switch (notification) {
      case Notification.ApprovalNeeded needed -> approvalRequest(needed, consoleUrl);
      case Notification.IncidentOpened opened ->
          withButtons(
              ":rotating_light: Incident "
                  + opened.incidentId()
                  + " opened ("
                  + opened.severity()
                  + ", "
                  + service(opened.service())
                  + "): "
                  + opened.summary(),
              opened.incidentId(),
              consoleUrl,
              List.of(
                  button("Acknowledge", ACKNOWLEDGE, "primary", opened.incidentId()),
                  button("Take over", TAKE_OVER, "danger", opened.incidentId())));
      case Notification.IncidentUpdated updated when updated.change().equals("escalated") ->
          withButtons(
              emoji(updated.change())
                  + " Incident "
                  + updated.incidentId()
                  + ": "
                  + updated.summary(),
              updated.incidentId(),
              consoleUrl,
              List.of(button("Take over", TAKE_OVER, "danger", updated.incidentId())));
      case Notification.IncidentUpdated updated ->
          plain(
              emoji(updated.change())
                  + " Incident "
                  + updated.incidentId()
                  + ": "
                  + updated.summary(),
              updated.incidentId(),
              consoleUrl);
      case Notification.IncidentResolved resolved ->
          plain(
              ":white_check_mark: Incident "
                  + resolved.incidentId()
                  + " resolved: "
                  + resolved.summary(),
              resolved.incidentId(),
              consoleUrl);
    };
  }

  static Map<String, Object> approvalRequest(
      Notification.ApprovalNeeded needed, String consoleUrl) {
    String headline =
        ":raising_hand: Incident "
            + needed.incidentId()
            + " ("
            + needed.severity()
            + ", "
            + service(needed.service())
            + ") needs a decision: "
            + needed.plan();
    List<Object> blocks = new ArrayList<>();
    blocks.add(section(mrkdwn(headline)));
    blocks.add(
        Map.of(
            "type",
            "section",
            "fields",
            List.of(
                mrkdwn("*Risk*\n" + needed.risk()), mrkdwn("*Why a human*\n" + needed.reason()))));
    if (!needed.steps().isBlank()) {
      blocks.add(section(mrkdwn("*Steps*\n" + needed.steps())));
    }
    blocks.add(
        Map.of(
            "type",
            "actions",
            "block_id",
            "sentinel_decision",
            "elements",
            List.of(
                button("Approve", APPROVE, "primary", needed.incidentId()),
                button("Reject", REJECT, "danger", needed.incidentId()))));
    link(blocks, needed.incidentId(), consoleUrl);
    return message(headline, blocks);
  }

  /**
   * The approval request once decided: the buttons give way to who decided what, so nobody clicks a
   * stale button.
   */
  public static Map<String, Object> decided(
      String incidentId, String verb, String actor, String reason) {
    String text =
        (verb.equals("approved") ? ":white_check_mark:" : ":no_entry:")
            + " Incident "
            + incidentId
            + ": plan "
            + verb
            + " by "
            + actor
            + (reason.isBlank() ? "" : " (" + reason + ")");
    return message(text, List.of(section(mrkdwn(text))));
  }

  private static Map<String, Object> plain(String text, String incidentId, String consoleUrl) {
    List<Object> blocks = new ArrayList<>();
    blocks.add(section(mrkdwn(text)));
    link(blocks, incidentId, consoleUrl);
    return message(text, blocks);
  }

  /** A message with the incident controls a person can use from Slack. */
  private static Map<String, Object> withButtons(
      String text, String incidentId, String consoleUrl, List<Map<String, Object>> buttons) {
    List<Object> blocks = new ArrayList<>();
    blocks.add(section(mrkdwn(text)));
    blocks.add(Map.of("type", "actions", "block_id", "sentinel_controls", "elements", buttons));
    link(blocks, incidentId, consoleUrl);
    return message(text, blocks);
  }

  private static void link(List<Object> blocks, String incidentId, String consoleUrl) {
    if (consoleUrl != null && !consoleUrl.isBlank()) {
      String href = consoleUrl.replaceAll("/+$", "") + "/console/#/incidents/" + incidentId;
      blocks.add(
          Map.of(
              "type", "context", "elements", List.of(mrkdwn("<" + href + "|Open in Sentinel>"))));
    }
  }

  private static Map<String, Object> message(String text, List<Object> blocks) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("text", text);
    message.put("blocks", blocks);
    return message;
  }

  private static Map<String, Object> section(Map<String, Object> text) {
    return Map.of("type", "section", "text", text);
  }

  private static Map<String, Object> mrkdwn(String text) {
    return Map.of("type", "mrkdwn", "text", text);
  }

  private static Map<String, Object> button(
      String label, String actionId, String style, String value) {
    Map<String, Object> button = new LinkedHashMap<>();
    button.put("type", "button");
    button.put("text", Map.of("type", "plain_text", "text", label));
    button.put("action_id", actionId);
    button.put("style", style);
    button.put("value", value);
    return button;
  }

  private static String service(String service) {
    return service.isEmpty() ? "no service label" : service;
  }

  private static String emoji(String change) {
    return switch (change) {
      case "approved" -> ":white_check_mark:";
      case "rejected" -> ":no_entry:";
      case "escalated" -> ":sos:";
      default -> ":gear:";
    };
  }
}
