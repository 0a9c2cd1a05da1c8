-- Facts keep the month the thing happened, not the day: no view, indicator or breakdown reads
-- a day (docs/privacy.md, "What a fact exposes"), and a day narrows people down.
ALTER TABLE facts DROP COLUMN day;
