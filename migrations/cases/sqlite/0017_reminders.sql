-- Appointment reminders delivered (sportello_cases::reminders): what became of each reminder
-- (QUEUED, NO_CONSENT, NO_CONTACT, TOO_LATE).
ALTER TABLE appointments ADD COLUMN reminder_outcome TEXT;
CREATE INDEX appointments_reminders_due ON appointments (remind_at) WHERE reminder_sent_at IS NULL;
