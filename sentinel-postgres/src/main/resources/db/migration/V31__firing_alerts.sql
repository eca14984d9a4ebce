-- Alerts of other systems (Alertmanager) by fingerprint, and the incident each fires on. A
-- resolved alert stays (firing = false) until the last alert of its incident resolved, so that
-- the newest start among them is known then; the row is deleted at that point.
CREATE TABLE firing_alerts (
    fingerprint TEXT    PRIMARY KEY,
    incident_id TEXT    NOT NULL,
    starts_at   BIGINT  NOT NULL,
    firing      BOOLEAN NOT NULL
);
CREATE INDEX firing_alerts_incident ON firing_alerts (incident_id);
