-- Half-filled forms, kept per person and form so that a reload, a dropped connection or a phone
-- that slept does not lose what a volunteer typed. Chosen photos are files in <photos>/.drafts/,
-- named by their SHA-256; `photos` lists them (name, sha256) as JSON.
CREATE TABLE IF NOT EXISTS drafts (
    person_id BIGINT NOT NULL,
    form VARCHAR NOT NULL,              -- log_sighting, patrol, upkeep, ask, problem ...
    fields VARCHAR NOT NULL,            -- JSON: widget key suffix -> {"t": type, "v": value}
    photos VARCHAR NOT NULL DEFAULT '[]',
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, form)
);
