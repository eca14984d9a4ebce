package dev.sentinel.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentStatus;
import dev.sentinel.incident.Severity;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.notify.Delivery;
import dev.sentinel.notify.DeliveryResult;
import dev.sentinel.notify.InMemoryOutbox;
import dev.sentinel.notify.Notification;
import dev.sentinel.notify.Notifications;
import dev.sentinel.notify.Notifier;
import dev.sentinel.plan.Action;
import dev.sentinel.plan.BlastRadius;
import dev.sentinel.plan.Plan;
import dev.sentinel.plan.PlanStep;
import dev.sentinel.plan.Target;
import dev.sentinel.testing.ManualClock;
import dev.sentinel.workflow.WorkflowEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which workflow events become which notifications, and that the console hears every one. */
class WorkflowAnnouncerTest {

  private final ManualClock clock = new ManualClock(1_000_000);
  private final InMemoryOutbox outbox = new InMemoryOutbox();
  private final IncidentFeed feed = new IncidentFeed();
  private final List<Map<String, String>> console = new ArrayList<>();
  private final List<TimelineEvent> narrated = new ArrayList<>();
  private final WorkflowAnnouncer announcer =
      new WorkflowAnnouncer(
          narrated::add, new Notifications(outbox, List.of(everything()), clock), feed, clock);

  WorkflowAnnouncerTest() {
    feed.subscribe(console::add);
  }

  private static Notifier everything() {
    return new Notifier() {
      @Override
      public String channel() {
        return "all";
      }

      @Override
      public boolean wants(Notification notification) {
        return true;
      }

      @Override
      public DeliveryResult deliver(Notification notification) {
        return new DeliveryResult.Sent("ok");
      }
    };
  }

  private List<Notification> published() {
    return outbox.claim(Long.MAX_VALUE, 100, 1).stream().map(Delivery::notification).toList();
  }

  private static TimelineEvent event(
      String kind, String actor, String summary, Map<String, String> details) {
    return new TimelineEvent("inc-1", 5_000, kind, actor, summary, details);
  }

  @Test
  void decisions_escalations_actions_and_resolutions_are_notified_and_the_rest_only_shown() {
    announcer.recorded(event("analysis", "sentinel", "error burst", Map.of()));
    announcer.recorded(
        event("approval", "sentinel", "approval needed", Map.of("decision", "requested")));
    announcer.recorded(
        event("approval", "alice", "approved by alice: go", Map.of("decision", "approved")));
    announcer.recorded(
        event("action", "sentinel", "restart checkout", Map.of("result", "applied")));
    announcer.recorded(event("escalated", "sentinel", "worse after restart", Map.of()));
    announcer.recorded(event("resolved", "sentinel", "recovered", Map.of()));

    assertThat(published())
        .containsExactly(
            new Notification.IncidentUpdated(
                "inc-1", 5_000, "approved", "alice", "approved by alice: go"),
            new Notification.IncidentUpdated(
                "inc-1", 5_000, "action", "sentinel", "restart checkout"),
            new Notification.IncidentUpdated(
                "inc-1", 5_000, "escalated", "sentinel", "worse after restart"),
            new Notification.IncidentResolved("inc-1", 5_000, "recovered"));
    assertThat(console)
        .extracting(change -> change.get("kind"))
        .containsExactly("analysis", "approval", "approval", "action", "escalated", "resolved");
    assertThat(narrated).hasSize(6);
  }

  @Test
  void a_plan_waiting_for_a_human_carries_its_steps_risk_and_reason() {
    Incident incident =
        new Incident(
            "inc-2",
            "service=db",
            Map.of("service", "db"),
            IncidentStatus.AWAITING_APPROVAL,
            Severity.CRITICAL,
            1,
            1,
            0,
            1,
            9,
            1,
            java.util.Set.of(),
            List.of(),
            null);
    PlanStep restart =
        PlanStep.of(
            new Action(new Target("simulator", "", "db"), "restart", Map.of()),
            30,
            BlastRadius.DEPENDENTS,
            "restart is the playbook's answer");
    WorkflowEvents events = announcer;

    events.approvalNeeded(
        incident, new Plan(List.of(restart), "restart simulator:db"), "risk too high");

    assertThat(published())
        .containsExactly(
            new Notification.ApprovalNeeded(
                "inc-2",
                1_000_000,
                "db",
                "CRITICAL",
                "restart simulator:db",
                "1. restart simulator:db (" + restart.risk() + ", ~30 s, DEPENDENTS)",
                restart.risk().name(),
                "risk too high"));
    assertThat(console).containsExactly(Map.of("incidentId", "inc-2", "kind", "awaiting_approval"));
  }
}
