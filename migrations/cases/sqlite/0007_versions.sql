-- Every mutable record carries a version, raised by one on every update; an update names the
-- version it was based on and is refused (CONFLICT) when the record has changed since.

ALTER TABLE persons ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE households ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE cases ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE encounters ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE needs ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE need_types ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE interventions ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE referrals ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE plan_goals ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE plan_steps ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE appointments ADD COLUMN version integer NOT NULL DEFAULT 1;
