package dev.sentinel.app.notify;

import dev.sentinel.detect.Anomaly;
import dev.sentinel.incident.Alert;
import dev.sentinel.incident.Attachment;
import dev.sentinel.incident.Incident;
import dev.sentinel.incident.IncidentListener;
import dev.sentinel.notify.Notification;
import dev.sentinel.notify.Notifications;
import java.time.Clock;

/**
 * Passes the correlator's news on to the usual listener, then announces it: opened, reopened and
 * quietly resolved incidents are notified, and every change reaches the live console.
 */
public final class IncidentAnnouncer implements IncidentListener {

  private final IncidentListener delegate;
  private final Notifications notifications;
  private final IncidentFeed feed;
  private final Clock clock;

  public IncidentAnnouncer(
      IncidentListener delegate, Notifications notifications, IncidentFeed feed, Clock clock) {
    this.delegate = delegate;
    this.notifications = notifications;
    this.feed = feed;
    this.clock = clock;
  }

  @Override
  public void opened(Incident incident, Anomaly first) {
    delegate.opened(incident, first);
    announceOpened(incident, first.describe());
  }

  @Override
  public void reopened(Incident incident, Anomaly anomaly) {
    delegate.reopened(incident, anomaly);
    announceOpened(incident, "reopened: " + anomaly.series() + " is out of range again");
  }

  @Override
  public void deduplicated(
      Incident incident, Anomaly anomaly, String groupKey, double similarity, String description) {
    delegate.deduplicated(incident, anomaly, groupKey, similarity, description);
    feed.changed(incident.id(), "deduplicated");
  }

  @Override
  public void attached(Incident incident, Anomaly anomaly, boolean newSeries) {
    delegate.attached(incident, anomaly, newSeries);
    if (newSeries) {
      feed.changed(incident.id(), "anomaly");
    }
  }

  @Override
  public void resolved(Incident incident) {
    delegate.resolved(incident);
    notifications.publish(
        new Notification.IncidentResolved(
            incident.id(), clock.millis(), String.valueOf(incident.resolution())));
    feed.changed(incident.id(), "resolved");
  }

  @Override
  public void alertFiring(Incident incident, Alert alert, Attachment.Outcome outcome) {
    delegate.alertFiring(incident, alert, outcome);
    switch (outcome) {
      case OPENED -> announceOpened(incident, "alert " + alert.name() + " " + alert.summary());
      case REOPENED ->
          announceOpened(incident, "reopened by alert " + alert.name() + " " + alert.summary());
      case ATTACHED -> feed.changed(incident.id(), "alert");
    }
  }

  @Override
  public void alertResolved(Incident incident, Alert alert) {
    delegate.alertResolved(incident, alert);
    feed.changed(incident.id(), "alert");
  }

  private void announceOpened(Incident incident, String summary) {
    String service = incident.service() == null ? "" : incident.service();
    notifications.publish(
        new Notification.IncidentOpened(
            incident.id(), clock.millis(), service, incident.severity().name(), summary.strip()));
    feed.changed(incident.id(), "opened");
  }
}
