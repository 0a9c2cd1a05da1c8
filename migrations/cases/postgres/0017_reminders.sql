-- Appointment reminders delivered (sportello_cases::reminders): what became of each reminder
-- (QUEUED, NO_CONSENT, NO_CONTACT, TOO_LATE), and the scan of due reminders across tenants,
-- which reads only the tenants that have some (app.scope = 'reminders', SELECT only).
ALTER TABLE appointments ADD COLUMN reminder_outcome text;
CREATE POLICY reminders ON appointments FOR SELECT
    USING (current_setting('app.scope', true) = 'reminders');
CREATE INDEX appointments_reminders_due ON appointments (remind_at) WHERE reminder_sent_at IS NULL;
