-- A browser that has signed in before keeps a "known device" cookie (random; only its SHA-256 is
-- stored). Wrong passwords typed by strangers lock the account, but not for the owner's own phone:
-- a known device is counted on its own row instead (OWASP's device cookies against lock-out abuse).
CREATE SEQUENCE IF NOT EXISTS seq_devices;
CREATE TABLE IF NOT EXISTS devices (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_devices'),
    person_id BIGINT NOT NULL,
    token_hash VARCHAR NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0     -- wrong passwords from this device since its last success
);
CREATE INDEX IF NOT EXISTS idx_devices_person ON devices (person_id);

-- Failed sign-ins for names that are no account, counted like an account's, so that the lock
-- message cannot tell which names exist.
CREATE TABLE IF NOT EXISTS login_throttle (
    name VARCHAR PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMPTZ,
    last_at TIMESTAMPTZ NOT NULL
);
