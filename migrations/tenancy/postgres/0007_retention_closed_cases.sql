-- Years a person whose cases are all closed is kept after the last one closed, before the
-- retention job erases them (docs/privacy.md, "Retention"). Default: ten years, the ordinary
-- limitation period (codice civile art. 2946); the service bounds it to 1..30.
ALTER TABLE tenants ADD COLUMN retention_closed_case_years integer NOT NULL DEFAULT 10;
