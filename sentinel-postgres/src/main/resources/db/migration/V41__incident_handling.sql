-- What people have done with an incident: acknowledged, assigned, taken over from automation, and
-- whether a human set its severity (joining anomalies then leave it alone).
ALTER TABLE incidents ADD COLUMN acknowledged_by TEXT;
ALTER TABLE incidents ADD COLUMN acknowledged_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN assignee TEXT;
ALTER TABLE incidents ADD COLUMN owner TEXT;
ALTER TABLE incidents ADD COLUMN severity_pinned BOOLEAN NOT NULL DEFAULT false;
