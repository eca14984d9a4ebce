-- The notification outbox: one row per notification and channel, written where the event happens
-- and drained by the delivery worker, so a restart or a dead receiver loses nothing.
-- A claim moves due_at forward by a lease; a worker that dies mid-delivery leaves the row to come
-- due again (at-least-once delivery).
CREATE TABLE notification_outbox (
    id           BIGSERIAL PRIMARY KEY,
    channel      TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    incident_id  TEXT    NOT NULL,
    fields       JSONB   NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    due_at       BIGINT  NOT NULL,
    finished_at  BIGINT,
    last_error   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX notification_outbox_due ON notification_outbox (due_at, id) WHERE status = 'pending';
CREATE INDEX notification_outbox_incident ON notification_outbox (incident_id, id);

-- Slack clicks already acted on, by Slack's request signature: a replayed request is refused.
-- Rows older than Slack's five-minute window are useless and pruned.
CREATE TABLE slack_replays (
    signature   TEXT   PRIMARY KEY,
    seen_at     BIGINT NOT NULL
);
