-- Which sightings are shown only at garden level (no point, no zone) to people without
-- "see_sensitive" and in public exports. The one definition: every reader joins this view
-- (exports, the garden page, the monthly report's photos). The same rule in Python is
-- habitat.domain.privacy.must_generalise (a test checks that the two agree); docs/decisions.md
-- says why.
--
-- A sighting is generalised when
--   * it is a nest or den, or
--   * its current taxon, or the accepted name that taxon was merged into, is sensitive, or
--   * any taxon ever proposed for it (the recorder's, every later identification, by anyone) is
--     sensitive -- unless an expert accepted the record after the last such proposal. Volunteers'
--     votes can move the community taxon away from a protected owl; only an expert's acceptance
--     lifts the protection, and a sensitive proposal made after that acceptance brings it back.
-- "An expert accepted" is a person's decision (verified_by set; machine auto-accepts have none)
-- with an "Accepted" status (habitat.domain.verification.ACCEPTED).
CREATE OR REPLACE VIEW sighting_generalisation AS
WITH taxon AS (
    SELECT sp.id, sp.sensitive OR coalesce(acc.sensitive, FALSE) AS sensitive
    FROM species sp LEFT JOIN species acc ON acc.id = sp.accepted_id
),
proposed AS (  -- the latest proposal of a sensitive taxon, per sighting
    SELECT i.sighting_id, max(i.identified_at) AS last_sensitive_at
    FROM identifications i JOIN taxon t ON t.id = i.species_id
    WHERE t.sensitive
    GROUP BY i.sighting_id
)
SELECT s.id AS sighting_id,
       s.nest_or_den
       OR coalesce(cur.sensitive, FALSE)
       OR (p.last_sensitive_at IS NOT NULL
           AND NOT coalesce(s.verified_by IS NOT NULL
                            AND s.identification_verification_status
                                IN ('Accepted – correct', 'Accepted – considered correct')
                            AND p.last_sensitive_at < s.verified_at, FALSE)) AS generalised
FROM sightings s
LEFT JOIN taxon cur ON cur.id = s.species_id
LEFT JOIN proposed p ON p.sighting_id = s.id;
