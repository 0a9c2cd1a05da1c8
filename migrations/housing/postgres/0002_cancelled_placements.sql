-- A placement cancelled before its first day: its stays on beds are deleted, its application
-- goes back to the waiting list, and the day of the cancellation is kept here.
ALTER TABLE placements ADD COLUMN cancelled_on date;
