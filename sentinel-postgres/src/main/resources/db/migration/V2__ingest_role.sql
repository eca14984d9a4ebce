-- Keys for collector agents that may only write telemetry (see dev.sentinel.access.Role).
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
    CHECK (role IN ('ingest', 'viewer', 'operator', 'admin'));
