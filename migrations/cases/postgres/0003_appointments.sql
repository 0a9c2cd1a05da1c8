-- Appointments at desks: one slot per desk and start, no overlapping bookings of one operator
-- (checked by the service), weekly series, and reminders stored for later delivery.

CREATE TABLE appointments (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    desk_id             uuid NOT NULL,
    operator_id         uuid NOT NULL,
    person_id           uuid NOT NULL,
    case_id             uuid,
    series_id           uuid,
    starts_at           timestamptz NOT NULL,
    ends_at             timestamptz NOT NULL,
    status              text NOT NULL,
    remind_at           timestamptz,
    reminder_sent_at    timestamptz,
    created_by          uuid NOT NULL,
    created_at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id)
);
CREATE UNIQUE INDEX appointments_one_per_slot ON appointments (tenant_id, desk_id, starts_at)
    WHERE status = 'booked';
CREATE INDEX appointments_by_operator ON appointments (tenant_id, operator_id, starts_at);
CREATE INDEX appointments_due_reminders ON appointments (tenant_id, remind_at)
    WHERE reminder_sent_at IS NULL;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['appointments'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I
                USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)
                WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
            t);
    END LOOP;
END $$;
