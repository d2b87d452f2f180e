-- How the app is laid out for a person (issue 14, 适老化): 'auto' = large text and buttons on a phone,
-- ordinary density on a computer; 'elder' = large everywhere; 'standard' = Streamlit's own density.
-- Chosen in 我的账号 and read with the person on every script run.
ALTER TABLE people ADD COLUMN IF NOT EXISTS ui_mode VARCHAR DEFAULT 'auto';
