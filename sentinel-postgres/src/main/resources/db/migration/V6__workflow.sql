-- Incident workflow cases: one row per incident; a worker claims one with a row lock
-- (FOR UPDATE SKIP LOCKED) held by its open transaction, so a dead worker frees it at once.
CREATE TABLE workflow_cases (
    incident_id TEXT PRIMARY KEY,
    run         INTEGER NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('runnable', 'waiting', 'done')),
    due_at      BIGINT  NOT NULL,
    claimed_by  TEXT,
    claimed_at  BIGINT
);
CREATE INDEX workflow_cases_due ON workflow_cases (due_at) WHERE state = 'runnable';

-- The latest LangGraph4j checkpoint of each workflow thread (one thread per incident run).
CREATE TABLE workflow_checkpoints (
    thread_id     TEXT PRIMARY KEY,
    checkpoint_id TEXT   NOT NULL,
    node_id       TEXT,
    next_node_id  TEXT,
    state         JSONB  NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- Every action a workflow started, by idempotency key (incident/run/iteration/step).
CREATE TABLE action_journal (
    key         TEXT PRIMARY KEY,
    incident_id TEXT   NOT NULL,
    action      JSONB  NOT NULL,
    prior       JSONB,
    result      JSONB,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX action_journal_incident ON action_journal (incident_id);

-- What remediation taught: cause, operation and how it went.
CREATE TABLE lessons (
    incident_id TEXT   NOT NULL,
    cause       TEXT   NOT NULL,
    operation   TEXT   NOT NULL,
    service     TEXT,
    recovery    TEXT   NOT NULL,
    at_millis   BIGINT NOT NULL,
    PRIMARY KEY (incident_id, cause, operation)
);
CREATE INDEX lessons_cause ON lessons (cause, operation);
