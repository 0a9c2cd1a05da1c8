-- Appointments at desks: one slot per desk and start, no overlapping bookings of one operator
-- (checked by the service), weekly series, and reminders stored for later delivery.

CREATE TABLE appointments (
    tenant_id           BLOB NOT NULL,
    id                  BLOB NOT NULL,
    desk_id             BLOB NOT NULL,
    operator_id         BLOB NOT NULL,
    person_id           BLOB NOT NULL,
    case_id             BLOB,
    series_id           BLOB,
    starts_at           TEXT NOT NULL,
    ends_at             TEXT NOT NULL,
    status              TEXT NOT NULL,
    remind_at           TEXT,
    reminder_sent_at    TEXT,
    created_by          BLOB NOT NULL,
    created_at          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id)
);
CREATE UNIQUE INDEX appointments_one_per_slot ON appointments (tenant_id, desk_id, starts_at)
    WHERE status = 'booked';
CREATE INDEX appointments_by_operator ON appointments (tenant_id, operator_id, starts_at);
CREATE INDEX appointments_due_reminders ON appointments (tenant_id, remind_at)
    WHERE reminder_sent_at IS NULL;
