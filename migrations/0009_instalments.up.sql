-- Instalments of a fine (分期缴纳, APL art. 66 ¶2): the approved plan, each
-- part with its own due date, from which its surcharge runs.
ALTER TABLE cases ADD COLUMN instalments jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(instalments) = 'array');
