-- Residents' ideas (金点子), garden meetings with follow-ups, and the five-principles self-assessment.
-- No FOREIGN KEY clauses (see docs/decisions.md). Every statement is idempotent (IF NOT EXISTS),
-- so a database whose migration record was lost is adopted, not broken.

CREATE SEQUENCE IF NOT EXISTS seq_ideas;
CREATE TABLE IF NOT EXISTS ideas (      -- an idea or a need for the garden, from anyone with an account
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_ideas'),
    garden_id BIGINT NOT NULL,
    zone_id BIGINT,
    author_id BIGINT NOT NULL,          -- who recorded it
    on_behalf_of VARCHAR,               -- a resident met on a walk-about, recorded by the committee
    kind VARCHAR NOT NULL DEFAULT 'idea',   -- idea, need
    title VARCHAR NOT NULL,
    body VARCHAR,
    status VARCHAR NOT NULL DEFAULT 'open', -- open, on_agenda, decided, done, declined
    status_note VARCHAR,                -- why declined, what was decided
    status_changed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS seq_idea_support;
CREATE TABLE IF NOT EXISTS idea_support (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_idea_support'),
    idea_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    supported_at TIMESTAMPTZ NOT NULL,
    UNIQUE (idea_id, person_id)         -- support once per person
);

ALTER TABLE photos ADD COLUMN IF NOT EXISTS idea_id BIGINT;

CREATE SEQUENCE IF NOT EXISTS seq_meetings;
CREATE TABLE IF NOT EXISTS meetings (   -- a garden meeting (居民议事会 / 花园议事)
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_meetings'),
    garden_id BIGINT NOT NULL,
    held_at TIMESTAMPTZ NOT NULL,
    place VARCHAR,
    chair_id BIGINT,                    -- person who chaired (an account)
    notes VARCHAR,
    recorded_by BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS seq_meeting_participants;
CREATE TABLE IF NOT EXISTS meeting_participants (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_meeting_participants'),
    meeting_id BIGINT NOT NULL,
    person_id BIGINT,                   -- NULL for people without an account
    name VARCHAR NOT NULL,
    role VARCHAR NOT NULL               -- resident, property_manager, owners_committee, expert, partner, volunteer, committee
);

CREATE SEQUENCE IF NOT EXISTS seq_meeting_items;
CREATE TABLE IF NOT EXISTS meeting_items (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_meeting_items'),
    meeting_id BIGINT NOT NULL,
    position INTEGER NOT NULL DEFAULT 1,
    idea_id BIGINT,                     -- the idea on the agenda, when the item came from one
    title VARCHAR NOT NULL,
    discussion VARCHAR,
    decision VARCHAR
);

CREATE SEQUENCE IF NOT EXISTS seq_meeting_followups;
CREATE TABLE IF NOT EXISTS meeting_followups (  -- a decision turned into work with an owner and a due date
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_meeting_followups'),
    item_id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL,              -- task, problem
    task_def_id BIGINT,                 -- kind task: done when the task is first logged after creation
    problem_id BIGINT,                  -- kind problem: done when the problem is resolved
    title VARCHAR NOT NULL,
    owner_id BIGINT NOT NULL,
    due_on DATE NOT NULL,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- What was applied (pesticide / fertiliser logs): product name and amount as written on the pack.
ALTER TABLE task_logs ADD COLUMN IF NOT EXISTS product VARCHAR;
ALTER TABLE task_logs ADD COLUMN IF NOT EXISTS amount VARCHAR;

-- Plant layer for the "layered plant communities" principle: canopy, shrub, herb, ground, aquatic, climber.
ALTER TABLE species ADD COLUMN IF NOT EXISTS plant_layer VARCHAR;

-- Layers of the shipped plant species. Kept as a table too: a new database loads the checklist
-- after the migrations ran, so the evidence query falls back on it (COALESCE) and
-- habitat.db.civic.fill_plant_layers copies it into species.
CREATE TABLE IF NOT EXISTS plant_layer_defaults (
    scientific_name VARCHAR PRIMARY KEY,
    plant_layer VARCHAR NOT NULL
);
INSERT OR IGNORE INTO plant_layer_defaults VALUES
    ('Camphora officinarum', 'canopy'),      -- 香樟
    ('Broussonetia papyrifera', 'canopy'),   -- 构树
    ('Triadica sebifera', 'canopy'),         -- 乌桕
    ('Celtis sinensis', 'canopy'),           -- 朴树
    ('Ligustrum lucidum', 'canopy'),         -- 女贞
    ('Eriobotrya japonica', 'canopy'),       -- 枇杷
    ('Osmanthus fragrans', 'shrub'),         -- 桂花
    ('Citrus reticulata', 'shrub'),          -- 柑橘
    ('Zanthoxylum armatum', 'shrub'),        -- 竹叶花椒
    ('Acorus calamus', 'herb'),              -- 菖蒲
    ('Iris tectorum', 'herb'),               -- 鸢尾
    ('Justicia procumbens', 'herb'),         -- 爵床
    ('Solidago canadensis', 'herb'),         -- 加拿大一枝黄花
    ('Viola philippica', 'ground'),          -- 紫花地丁
    ('Oxalis corniculata', 'ground'),        -- 酢浆草
    ('Hydrilla verticillata', 'aquatic'),    -- 黑藻
    ('Aristolochia debilis', 'climber');     -- 马兜铃

UPDATE species SET plant_layer = d.plant_layer
FROM plant_layer_defaults d
WHERE species.scientific_name = d.scientific_name AND species.plant_layer IS NULL;

CREATE SEQUENCE IF NOT EXISTS seq_principle_assessments;
CREATE TABLE IF NOT EXISTS principle_assessments (  -- the committee's seasonal score per principle
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_principle_assessments'),
    garden_id BIGINT NOT NULL,
    season VARCHAR NOT NULL,            -- e.g. 2026-autumn (winter = December and the next two months)
    principle INTEGER NOT NULL,         -- 1 native plants .. 5 food, water and shelter
    score INTEGER NOT NULL,             -- 0..5, the committee's final score
    suggested_score INTEGER,            -- what the evidence suggested when it was assessed
    evidence VARCHAR,                   -- JSON: the numbers drawn from the records
    note VARCHAR,
    assessed_by BIGINT NOT NULL,
    assessed_at TIMESTAMPTZ NOT NULL,
    UNIQUE (garden_id, season, principle)
);
