-- Every mutable record carries a version, raised by one on every update; an update names the
-- version it was based on and is refused (CONFLICT) when the record has changed since.

ALTER TABLE territories ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE desks ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE places ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE memberships ADD COLUMN version integer NOT NULL DEFAULT 1;
