-- Core data model. Darwin Core names are used for sighting fields where a term exists.
-- No FOREIGN KEY clauses: DuckDB refuses updates of referenced rows; `habitat check` reports
-- dangling references instead (see docs/decisions.md).

CREATE SEQUENCE seq_gardens;
CREATE TABLE gardens (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_gardens'),
    slug VARCHAR NOT NULL UNIQUE,
    name VARCHAR NOT NULL,              -- Chinese name, as the community calls it
    name_en VARCHAR,
    town VARCHAR NOT NULL,              -- e.g. 新泾镇
    district VARCHAR,
    address VARCHAR,
    theme VARCHAR,
    centre_lat DOUBLE NOT NULL,         -- WGS84
    centre_lon DOUBLE NOT NULL,
    area_m2 DOUBLE,
    boundary VARCHAR,                   -- GeoJSON Polygon, WGS84
    opened_on DATE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE seq_zones;
CREATE TABLE zones (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_zones'),
    garden_id BIGINT NOT NULL,
    code VARCHAR NOT NULL,              -- short code used in links and QR posters, e.g. "A"
    name VARCHAR NOT NULL,
    name_en VARCHAR,
    kind VARCHAR NOT NULL,              -- pond, nectar_bed, host_plants, undisturbed, insect_hotel, lawn, path, woodland, entrance
    geometry VARCHAR NOT NULL,          -- GeoJSON Polygon, WGS84
    area_m2 DOUBLE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    UNIQUE (garden_id, code)
);

CREATE SEQUENCE seq_features;
CREATE TABLE features (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_features'),
    garden_id BIGINT NOT NULL,
    zone_id BIGINT,
    kind VARCHAR NOT NULL,              -- insect_hotel, log_pile, bird_feeder, bird_bath, nest_box, pond, camera_trap, viewing_window, compost, rain_barrel
    name VARCHAR NOT NULL,
    condition VARCHAR NOT NULL DEFAULT 'good',   -- good, fair, poor, broken
    provides VARCHAR,                   -- food / water / shelter, '|' separated
    note VARCHAR,
    checked_on DATE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE seq_people;
CREATE TABLE people (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_people'),
    username VARCHAR NOT NULL UNIQUE,
    display_name VARCHAR NOT NULL,
    role VARCHAR NOT NULL,              -- volunteer, expert, committee
    password_hash VARCHAR,
    language VARCHAR NOT NULL DEFAULT 'zh',
    expertise VARCHAR,                  -- taxon groups, '|' separated (experts)
    home_garden_id BIGINT,
    organisation VARCHAR,
    phone VARCHAR,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    password_changed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE seq_visits;
CREATE TABLE visits (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_visits'),
    garden_id BIGINT NOT NULL,
    zone_id BIGINT,
    started_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ,
    observers VARCHAR,                  -- names as written on the day
    observer_count INTEGER NOT NULL DEFAULT 1,
    protocol VARCHAR NOT NULL DEFAULT 'casual',  -- casual, timed_patrol, transect, point_count, bioblitz, camera_trap
    weather VARCHAR,
    temperature_c DOUBLE,
    wind_beaufort INTEGER,
    sun_pct INTEGER,
    disturbance VARCHAR,
    complete_checklist BOOLEAN NOT NULL DEFAULT FALSE,
    note VARCHAR,
    recorded_by BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    withdrawn BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE SEQUENCE seq_task_defs;
CREATE TABLE task_defs (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_task_defs'),
    garden_id BIGINT NOT NULL,
    zone_id BIGINT,
    kind VARCHAR NOT NULL,              -- water, weed, prune, pond, insect_hotel, litter, feeder, mow, invasive_removal, other
    title VARCHAR NOT NULL,
    every_days INTEGER NOT NULL,
    start_on DATE NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    source VARCHAR,                     -- manual, invasive_sighting, meeting
    created_by BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE seq_task_logs;
CREATE TABLE task_logs (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_task_logs'),
    task_def_id BIGINT,
    garden_id BIGINT NOT NULL,
    zone_id BIGINT,
    kind VARCHAR NOT NULL,
    done_at TIMESTAMPTZ NOT NULL,
    done_by BIGINT NOT NULL,
    minutes INTEGER,
    note VARCHAR,
    visit_id BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    withdrawn BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE SEQUENCE seq_problems;
CREATE TABLE problems (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_problems'),
    garden_id BIGINT NOT NULL,
    zone_id BIGINT,
    kind VARCHAR NOT NULL,              -- fence, litter, dead_plant, invasive_plant, pond, feature, other
    description VARCHAR NOT NULL,
    reported_by BIGINT NOT NULL,
    reported_at TIMESTAMPTZ NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'open',   -- open, resolved
    resolved_by BIGINT,
    resolved_at TIMESTAMPTZ,
    resolution VARCHAR
);

CREATE SEQUENCE seq_questions;
CREATE TABLE questions (                -- "is this a weed?" and other questions to experts
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_questions'),
    garden_id BIGINT NOT NULL,
    zone_id BIGINT,
    asked_by BIGINT NOT NULL,
    asked_at TIMESTAMPTZ NOT NULL,
    body VARCHAR NOT NULL,
    species_id BIGINT,                  -- the expert's identification, when given
    verdict VARCHAR,                    -- keep, remove, unsure
    answer VARCHAR,
    answered_by BIGINT,
    answered_at TIMESTAMPTZ,
    seen_by_asker BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE SEQUENCE seq_species;
CREATE TABLE species (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_species'),
    scientific_name VARCHAR NOT NULL UNIQUE,
    chinese_name VARCHAR NOT NULL,
    pinyin VARCHAR,                     -- "bai tou bei"
    pinyin_initials VARCHAR,            -- "btb"
    english_name VARCHAR,
    group_name VARCHAR NOT NULL,        -- bird, butterfly, moth, dragonfly, damselfly, bee, insect, amphibian, reptile, mammal, plant, other
    taxon_rank VARCHAR NOT NULL DEFAULT 'species',
    kingdom VARCHAR,
    class_name VARCHAR,
    synonyms VARCHAR,                   -- '|' separated; searched by the picker
    native BOOLEAN NOT NULL DEFAULT TRUE,
    invasive BOOLEAN NOT NULL DEFAULT FALSE,
    invasive_action VARCHAR,            -- 'remove': a sighting opens a removal task
    protected_class VARCHAR,            -- I, II (state protection)
    sensitive BOOLEAN NOT NULL DEFAULT FALSE,  -- exact points hidden from the public
    difficulty INTEGER NOT NULL DEFAULT 2,     -- identification difficulty 1 (easy) .. 5
    usual_months VARCHAR,               -- e.g. "3-11" or "10-4"
    garden_common BOOLEAN NOT NULL DEFAULT TRUE,
    accepted_id BIGINT,                 -- set when merged into another name
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMPTZ
);

CREATE SEQUENCE seq_sightings;
CREATE TABLE sightings (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_sightings'),
    occurrence_id UUID NOT NULL DEFAULT uuid(),   -- stable Darwin Core occurrenceID
    garden_id BIGINT NOT NULL,
    zone_id BIGINT,
    visit_id BIGINT,
    species_id BIGINT,                  -- current taxon (follows identifications); NULL = not identified
    verbatim_identification VARCHAR,    -- what the recorder wrote when unsure
    event_date TIMESTAMPTZ NOT NULL,
    individual_count INTEGER,           -- NULL with occurrence_status 'present' = present, not counted
    occurrence_status VARCHAR NOT NULL DEFAULT 'present',
    life_stage VARCHAR,                 -- egg, larva, pupa, juvenile, adult, unknown
    sex VARCHAR,                        -- male, female, unknown
    behavior VARCHAR,                   -- nectaring, egg_laying, feeding, calling, nesting, resting, ...
    degree_of_establishment VARCHAR NOT NULL DEFAULT 'wild',  -- wild, cultivated
    nest_or_den BOOLEAN NOT NULL DEFAULT FALSE,
    decimal_latitude DOUBLE,
    decimal_longitude DOUBLE,
    coordinate_uncertainty_in_meters DOUBLE,
    location_source VARCHAR,            -- photo_gps, zone, manual
    outside_garden BOOLEAN NOT NULL DEFAULT FALSE,
    note VARCHAR,
    recorded_by BIGINT NOT NULL,
    identification_verification_status VARCHAR NOT NULL DEFAULT 'Unconfirmed – not reviewed',
    verified_by BIGINT,
    verified_at TIMESTAMPTZ,
    queried BOOLEAN NOT NULL DEFAULT FALSE,
    source VARCHAR NOT NULL DEFAULT 'app',   -- app, batch, import_photos, csv, demo, synthetic
    version INTEGER NOT NULL DEFAULT 1,      -- optimistic concurrency: every update bumps it
    created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMPTZ,
    withdrawn BOOLEAN NOT NULL DEFAULT FALSE,
    withdrawn_at TIMESTAMPTZ
);

CREATE SEQUENCE seq_identifications;
CREATE TABLE identifications (          -- history; rows are never updated or deleted
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_identifications'),
    sighting_id BIGINT NOT NULL,
    species_id BIGINT,
    identified_by BIGINT NOT NULL,
    identified_at TIMESTAMPTZ NOT NULL,
    by_expert BOOLEAN NOT NULL DEFAULT FALSE,
    remark VARCHAR
);

CREATE SEQUENCE seq_verifications;
CREATE TABLE verifications (            -- every decision, newest is current
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_verifications'),
    sighting_id BIGINT NOT NULL,
    status VARCHAR NOT NULL,
    decided_by BIGINT,                  -- NULL for machine decisions
    decided_at TIMESTAMPTZ NOT NULL,
    machine BOOLEAN NOT NULL DEFAULT FALSE,
    remark VARCHAR
);

CREATE SEQUENCE seq_comments;
CREATE TABLE comments (                 -- queries from experts and answers from recorders
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_comments'),
    sighting_id BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    kind VARCHAR NOT NULL DEFAULT 'comment',  -- query, answer, comment
    body VARCHAR NOT NULL
);

CREATE SEQUENCE seq_photos;
CREATE TABLE photos (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_photos'),
    sha256 VARCHAR NOT NULL,
    sighting_id BIGINT,
    task_log_id BIGINT,
    problem_id BIGINT,
    question_id BIGINT,
    original_name VARCHAR,
    mime VARCHAR,
    byte_size BIGINT,
    width INTEGER,
    height INTEGER,
    display_path VARCHAR NOT NULL,      -- relative to GARDEN_PHOTOS; EXIF removed
    thumb_path VARCHAR NOT NULL,
    taken_at TIMESTAMPTZ,
    private_lat DOUBLE,                 -- original GPS from EXIF: experts and committee only
    private_lon DOUBLE,
    private_accuracy_m DOUBLE,
    uploaded_by BIGINT NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL,
    withdrawn BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE SEQUENCE seq_audit;
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_audit'),
    happened_at TIMESTAMPTZ NOT NULL,
    actor_id BIGINT,
    action VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    entity_id BIGINT,
    before_json VARCHAR,
    after_json VARCHAR
);

CREATE TABLE app_settings (             -- committee switches, e.g. auto_accept_easy
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL,
    updated_by BIGINT,
    updated_at TIMESTAMPTZ
);
