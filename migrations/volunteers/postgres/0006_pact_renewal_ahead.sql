-- Volunteers: a pact renewed on request before the end of its current period keeps that period
-- as the current one; the next period runs from end_date to renewed_until and becomes current
-- when end_date is reached (read on the tenant's today, like expiry).

ALTER TABLE pacts ADD COLUMN renewed_until date;
