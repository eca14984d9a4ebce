package dev.sentinel.app.notify;

import dev.sentinel.incident.Incident;
import dev.sentinel.incident.TimelineEvent;
import dev.sentinel.notify.Notification;
import dev.sentinel.notify.Notifications;
import dev.sentinel.plan.Plan;
import dev.sentinel.plan.PlanStep;
import dev.sentinel.workflow.WorkflowEvents;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Passes the workflow's events on, then announces them: a plan waiting for a human, a decision, an
 * escalation, an action and a resolution are notified; every timeline entry reaches the console.
 */
public final class WorkflowAnnouncer implements WorkflowEvents {

  private final WorkflowEvents delegate;
  private final Notifications notifications;
  private final IncidentFeed feed;
  private final Clock clock;

  public WorkflowAnnouncer(
      WorkflowEvents delegate, Notifications notifications, IncidentFeed feed, Clock clock) {
    this.delegate = delegate;
    this.notifications = notifications;
    this.feed = feed;
    this.clock = clock;
  }

  @Override
  public void recorded(TimelineEvent event) {
    delegate.recorded(event);
    String id = event.incidentId();
    switch (event.kind()) {
      case "approval" -> {
        String decision = event.details().getOrDefault("decision", "");
        if (decision.equals("approved") || decision.equals("rejected")) {
          notifications.publish(
              new Notification.IncidentUpdated(
                  id, event.atMillis(), decision, event.actor(), event.summary()));
        }
      }
      // A person on it stops the paging escalation (PagerDuty: acknowledge).
      case "escalated", "action", "acknowledged", "taken_over" ->
          notifications.publish(
              new Notification.IncidentUpdated(
                  id, event.atMillis(), event.kind(), event.actor(), event.summary()));
      case "resolved" ->
          notifications.publish(
              new Notification.IncidentResolved(id, event.atMillis(), event.summary()));
      default -> {}
    }
    feed.changed(id, event.kind());
  }

  @Override
  public void approvalNeeded(Incident incident, Plan plan, String reason) {
    delegate.approvalNeeded(incident, plan, reason);
    notifications.publish(
        new Notification.ApprovalNeeded(
            incident.id(),
            clock.millis(),
            incident.service() == null ? "" : incident.service(),
            incident.severity().name(),
            plan.summary(),
            steps(plan.steps()),
            plan.risk().name(),
            reason == null ? "" : reason));
    feed.changed(incident.id(), "awaiting_approval");
  }

  @Override
  public Step stepStarted(String node, String incidentId) {
    return delegate.stepStarted(node, incidentId);
  }

  /** {@code 1. restart simulator:api (LOW, ~5 s, SERVICE)}, one a line. */
  static String steps(List<PlanStep> steps) {
    return IntStream.range(0, steps.size())
        .mapToObj(
            i -> {
              PlanStep step = steps.get(i);
              return (i + 1)
                  + ". "
                  + step.action().describe()
                  + " ("
                  + step.risk()
                  + ", ~"
                  + step.estimatedDowntimeSeconds()
                  + " s, "
                  + step.blastRadius()
                  + ")";
            })
        .collect(Collectors.joining("\n"));
  }
}
