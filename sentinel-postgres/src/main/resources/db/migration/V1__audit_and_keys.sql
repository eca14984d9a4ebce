-- The audit trail: append-only, hash-chained (see dev.sentinel.audit.AuditChain).
-- Times are epoch milliseconds so the hashed text never depends on time zones or precision.
CREATE TABLE audit_log (
    sequence      BIGINT PRIMARY KEY,
    at_millis     BIGINT NOT NULL,
    actor         TEXT   NOT NULL,
    action        TEXT   NOT NULL,
    incident_id   TEXT,
    details       JSONB  NOT NULL,
    previous_hash TEXT   NOT NULL,
    hash          TEXT   NOT NULL
);
CREATE INDEX audit_log_incident ON audit_log (incident_id, sequence);
CREATE INDEX audit_log_at ON audit_log (at_millis);
CREATE INDEX audit_log_actor ON audit_log (actor, sequence);

-- One row: the newest entry, so a removed tail is detected, and the retention anchor, so a
-- pruned trail still verifies from where it now starts.
CREATE TABLE audit_head (
    id              SMALLINT PRIMARY KEY CHECK (id = 1),
    last_sequence   BIGINT NOT NULL,
    last_hash       TEXT   NOT NULL,
    anchor_sequence BIGINT NOT NULL,
    anchor_hash     TEXT   NOT NULL
);
INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000',
                               0, '0000000000000000000000000000000000000000000000000000000000000000');

-- API keys: only a SHA-256 of the secret is kept.
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT   NOT NULL,
    role        TEXT   NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    secret_hash TEXT   NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
