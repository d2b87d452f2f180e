-- When each person last marked the inbox on home as read ("what happened to my records": decisions,
-- questions and comments on her records, answers to her questions). Items after it are new.
-- NULL: never marked (home treats the last 30 days as new; habitat.services.inbox).
ALTER TABLE people ADD COLUMN IF NOT EXISTS inbox_seen_at TIMESTAMPTZ;
