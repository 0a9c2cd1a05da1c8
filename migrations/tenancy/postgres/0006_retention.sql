-- Each tenant's retention schedule (docs/privacy.md, "Retention"), set by its administrator:
-- months of analytics facts kept (the current month included) and days a published event stays
-- in a producer's outbox. Defaults: the longest period a figure spans, the installation's outbox.
ALTER TABLE tenants ADD COLUMN retention_fact_months integer NOT NULL DEFAULT 36;
ALTER TABLE tenants ADD COLUMN retention_outbox_days integer NOT NULL DEFAULT 7;
