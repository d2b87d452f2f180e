-- The nectar plant an insect was seen visiting: a plant of the checklist (species.id), exported as
-- Darwin Core associatedTaxa ("visiting: 马利筋 Asclepias curassavica"). NULL: not noted.
ALTER TABLE sightings ADD COLUMN IF NOT EXISTS nectar_plant_id BIGINT;
