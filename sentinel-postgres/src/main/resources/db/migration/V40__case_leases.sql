-- A claimed case is no longer a held row lock but a committed, renewed, expiring lease: a worker's
-- transaction lasts one statement, never a whole workflow run. A case that is running when its
-- incident reopens is marked for a fresh run once the current one stops (rerun).
ALTER TABLE workflow_cases DROP CONSTRAINT IF EXISTS workflow_cases_state_check;
ALTER TABLE workflow_cases
    ADD CONSTRAINT workflow_cases_state_check CHECK (state IN ('runnable', 'running', 'waiting', 'done'));
ALTER TABLE workflow_cases ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE workflow_cases ADD COLUMN rerun BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX workflow_cases_leases ON workflow_cases (lease_until) WHERE state = 'running';
