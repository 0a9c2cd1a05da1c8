-- Each tenant's time zone (IANA name): days and months of its figures, default periods,
-- recurrences and reminders follow it. Tenants created before keep Italian time.
ALTER TABLE tenants ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Rome';
