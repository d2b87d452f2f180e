-- A volunteer signs up "with N people / N children": her own row (person_id) plus head-count rows for
-- the adults and children who come with her, each pointing at her row here. Withdrawing her sign-up
-- withdraws them too. NULL: a row of its own (a person, or a group the organisers added).
ALTER TABLE event_signups ADD COLUMN IF NOT EXISTS party_of BIGINT;
