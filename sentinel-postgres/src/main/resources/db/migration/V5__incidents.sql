-- Incidents: one row each; the newest anomalies kept inline (capped by the application).
CREATE TABLE incidents (
    id                TEXT PRIMARY KEY,
    group_key         TEXT             NOT NULL,
    group_labels      JSONB            NOT NULL,
    status            TEXT             NOT NULL,
    severity          TEXT             NOT NULL,
    service           TEXT,
    opened_at         BIGINT           NOT NULL,
    last_anomaly_at   BIGINT           NOT NULL,
    resolved_at       BIGINT           NOT NULL DEFAULT 0,
    anomaly_count     INTEGER          NOT NULL,
    max_score         DOUBLE PRECISION NOT NULL,
    max_confidence    DOUBLE PRECISION NOT NULL,
    series            JSONB            NOT NULL,
    resolution        TEXT
);
-- At most one unresolved incident per group: concurrent instances cannot open two.
CREATE UNIQUE INDEX incidents_one_open_per_group ON incidents (group_key) WHERE status <> 'resolved';
CREATE INDEX incidents_group_newest ON incidents (group_key, opened_at DESC);
CREATE INDEX incidents_opened ON incidents (opened_at DESC);
CREATE INDEX incidents_status ON incidents (status, opened_at DESC);

-- The first anomalies of each incident (the application caps how many), insert-only so a busy
-- incident costs one small row per kept anomaly instead of rewriting a growing document.
CREATE TABLE incident_anomalies (
    incident_id TEXT    NOT NULL REFERENCES incidents (id),
    position    INTEGER NOT NULL,
    anomaly     JSONB   NOT NULL,
    PRIMARY KEY (incident_id, position)
);

CREATE TABLE incident_events (
    id          BIGSERIAL PRIMARY KEY,
    incident_id TEXT   NOT NULL REFERENCES incidents (id),
    at_millis   BIGINT NOT NULL,
    kind        TEXT   NOT NULL,
    actor       TEXT   NOT NULL,
    summary     TEXT   NOT NULL,
    details     JSONB  NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

