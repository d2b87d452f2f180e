-- Lasting sign-in: one row per signed-in browser. The cookie carries a random token; only its
-- SHA-256 is stored, so a copy of the database cannot be used to sign in. Every script run
-- re-reads the row with its person (active, role, groups), so deactivation, a password reset or
-- "sign out everywhere" ends every open tab at its next click.
CREATE SEQUENCE IF NOT EXISTS seq_sessions;
CREATE TABLE IF NOT EXISTS sessions (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_sessions'),
    person_id BIGINT NOT NULL,
    token_hash VARCHAR NOT NULL UNIQUE,     -- hex SHA-256 of the cookie token
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,      -- idle timeout: GARDEN_SESSION_MINUTES after this
    expires_at TIMESTAMPTZ NOT NULL,        -- absolute limit, whatever the activity
    revoked_at TIMESTAMPTZ,
    revoked_reason VARCHAR                  -- sign_out, sign_out_all, deactivated, password_reset, password_changed
);
CREATE INDEX IF NOT EXISTS idx_sessions_person ON sessions (person_id);

-- A row that checks of the form "is anyone else left?" write first, so two transactions that
-- could both pass the check (two committee members demoting each other) conflict instead.
CREATE TABLE IF NOT EXISTS guards (
    name VARCHAR PRIMARY KEY,
    bumped_at TIMESTAMPTZ
);
INSERT INTO guards (name) VALUES ('committee') ON CONFLICT DO NOTHING;
