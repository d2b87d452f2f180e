-- Partners (zoo, botanical garden, NGO, schools, shops ...), events (nature classes, BioBlitz,
-- planting and clean-up days, meetings), sign-ups, attendance and children's observation plots.
-- No FOREIGN KEY clauses (see docs/decisions.md). Written with IF NOT EXISTS so that a database
-- whose migration record was lost is adopted, not broken.

CREATE SEQUENCE IF NOT EXISTS seq_partners;
CREATE TABLE IF NOT EXISTS partners (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_partners'),
    name VARCHAR NOT NULL UNIQUE,       -- as the community calls it, e.g. 上海动物园
    name_en VARCHAR,
    kind VARCHAR NOT NULL,              -- zoo, botanical_garden, ngo, agriculture, school, kindergarten, business, other
    description VARCHAR,                -- what they offer
    contact_name VARCHAR,               -- contacts: experts and the committee only
    contact_phone VARCHAR,
    contact_email VARCHAR,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMPTZ
);

CREATE SEQUENCE IF NOT EXISTS seq_garden_partners;
CREATE TABLE IF NOT EXISTS garden_partners (   -- which partner helps which garden; unpairing deletes the row (audited)
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_garden_partners'),
    garden_id BIGINT NOT NULL,
    partner_id BIGINT NOT NULL,
    role VARCHAR,                       -- what they do here, e.g. "reviews bird records", "donates plants"
    since DATE,
    created_by BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    UNIQUE (garden_id, partner_id)
);

ALTER TABLE people ADD COLUMN IF NOT EXISTS partner_id BIGINT;   -- experts belong to a partner

CREATE SEQUENCE IF NOT EXISTS seq_plots;
CREATE TABLE IF NOT EXISTS plots (      -- a children's observation plot: a class cares for it over a season
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_plots'),
    garden_id BIGINT NOT NULL,
    zone_id BIGINT,
    name VARCHAR NOT NULL,
    partner_id BIGINT,                  -- the school or kindergarten
    class_name VARCHAR,                 -- e.g. 三年级（2）班; never children's names
    host_id BIGINT,                     -- the volunteer or teacher who leads the sessions
    season_start DATE NOT NULL,
    season_end DATE NOT NULL,
    description VARCHAR,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE SEQUENCE IF NOT EXISTS seq_events;
CREATE TABLE IF NOT EXISTS events (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_events'),
    garden_id BIGINT NOT NULL,
    zone_id BIGINT,
    kind VARCHAR NOT NULL,              -- nature_class, bioblitz, planting, cleanup, meeting, plot_session
    title VARCHAR NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    place VARCHAR,                      -- where to meet, as written on the poster
    host_id BIGINT,
    partner_id BIGINT,
    capacity INTEGER,                   -- NULL = no limit
    audience VARCHAR,                   -- children, families, elders ('|' separated); NULL = everyone
    description VARCHAR,
    series_id BIGINT,                   -- plot_session: the plots.id this session belongs to
    created_by BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMPTZ,
    cancelled BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE SEQUENCE IF NOT EXISTS seq_event_signups;
CREATE TABLE IF NOT EXISTS event_signups (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_event_signups'),
    event_id BIGINT NOT NULL,
    person_id BIGINT,                   -- an account signing up; NULL for the public
    name VARCHAR,                       -- optional for adult groups of the public; always NULL for children
    head_count INTEGER NOT NULL DEFAULT 1,
    is_child BOOLEAN NOT NULL DEFAULT FALSE,
    helper BOOLEAN NOT NULL DEFAULT FALSE,   -- comes to help (volunteer hours), not only to take part
    note VARCHAR,
    signed_up_by BIGINT NOT NULL,
    signed_up_at TIMESTAMPTZ NOT NULL,
    withdrawn BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE SEQUENCE IF NOT EXISTS seq_event_attendance;
CREATE TABLE IF NOT EXISTS event_attendance (   -- who came; replaced as a whole each time it is recorded
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_event_attendance'),
    event_id BIGINT NOT NULL,
    person_id BIGINT,                   -- an account; NULL for the public
    name VARCHAR,                       -- a named adult of the public; NULL for head counts and children
    head_count INTEGER NOT NULL DEFAULT 1,
    is_child BOOLEAN NOT NULL DEFAULT FALSE,
    minutes INTEGER,                    -- minutes volunteered by a helper (counted as volunteer hours)
    recorded_by BIGINT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS seq_plot_observations;
CREATE TABLE IF NOT EXISTS plot_observations (  -- what the class saw or measured on its plot
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_plot_observations'),
    plot_id BIGINT NOT NULL,
    event_id BIGINT,                    -- the session, when made during one
    observed_at TIMESTAMPTZ NOT NULL,
    observation VARCHAR NOT NULL,       -- e.g. 向日葵苗高 12 厘米；发现 3 只菜粉蝶幼虫
    value DOUBLE,                       -- an optional number (height, count)
    unit VARCHAR,
    recorded_by BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

ALTER TABLE sightings ADD COLUMN IF NOT EXISTS event_id BIGINT;   -- the BioBlitz or class it was made at
