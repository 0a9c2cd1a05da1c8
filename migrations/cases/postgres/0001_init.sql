-- Runs inside the service's own schema; row-level security as in tenancy.
-- Cases: persons, households, consents, cases, encounters, needs, interventions; the audit log
-- and the outbox. Every table has tenant_id leading its primary key.

CREATE TABLE households (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    label           text NOT NULL,
    territory_code  text NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE persons (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    given_names         text NOT NULL,
    family_names        text NOT NULL,
    latin_given_names   text NOT NULL,
    latin_family_names  text NOT NULL,
    name_key            text NOT NULL,
    name_skeleton       text NOT NULL,
    birth_year          integer,
    birth_month         integer,
    birth_day           integer,
    sex                 text,
    gender              text,
    country_of_birth    text,
    citizenships        text NOT NULL,
    languages           text NOT NULL,
    phone               text,
    email               text,
    codice_fiscale      text,
    permit_type         text,
    permit_number       text,
    permit_expiry       date,
    household_id        uuid,
    household_role      text,
    territory_code      text NOT NULL,
    created_by          uuid NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, codice_fiscale),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id)
);
CREATE INDEX persons_by_name_key ON persons (tenant_id, name_key);

CREATE TABLE consents (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    person_id   uuid NOT NULL,
    purpose     text NOT NULL,
    given       boolean NOT NULL,
    recorded_at timestamptz NOT NULL,
    recorded_by uuid NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id)
);
CREATE INDEX consents_by_person ON consents (tenant_id, person_id, purpose);

CREATE TABLE cases (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    person_id           uuid NOT NULL,
    status              text NOT NULL,
    outcome             text,
    territory_code      text NOT NULL,
    desk_id             uuid,
    primary_operator    uuid NOT NULL,
    opened_at           timestamptz NOT NULL,
    closed_at           timestamptz,
    reopen_reason       text,
    updated_at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id)
);
CREATE INDEX cases_by_status ON cases (tenant_id, status);
CREATE INDEX cases_by_person ON cases (tenant_id, person_id);

CREATE TABLE encounters (
    tenant_id           uuid NOT NULL,
    id                  uuid NOT NULL,
    case_id             uuid NOT NULL,
    occurred_at         timestamptz NOT NULL,
    channel             text NOT NULL,
    language            text,
    mediator_present    boolean NOT NULL,
    duration_minutes    integer,
    notes               text,
    created_by          uuid NOT NULL,
    created_at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id)
);
CREATE INDEX encounters_by_case ON encounters (tenant_id, case_id, occurred_at);

CREATE TABLE needs (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    case_id         uuid NOT NULL,
    code            text NOT NULL,
    source          text NOT NULL,
    status          text NOT NULL,
    encounter_id    uuid,
    noted_at        timestamptz NOT NULL,
    noted_by        uuid NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id)
);
CREATE INDEX needs_by_case ON needs (tenant_id, case_id);

CREATE TABLE interventions (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    case_id     uuid NOT NULL,
    kind        text NOT NULL,
    need_ids    text NOT NULL,
    outcome     text,
    done_at     timestamptz NOT NULL,
    done_by     uuid NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id)
);
CREATE INDEX interventions_by_case ON interventions (tenant_id, case_id);

-- Append-only, hash-chained audit log: who did what to which object and which fields, never values.
CREATE TABLE audit_heads (
    tenant_id   uuid NOT NULL PRIMARY KEY,
    seq         bigint NOT NULL,
    hash        text NOT NULL
);

CREATE TABLE audit_log (
    tenant_id   uuid NOT NULL,
    seq         bigint NOT NULL,
    at          timestamptz NOT NULL,
    actor       uuid,
    action      text NOT NULL,
    object_type text NOT NULL,
    object_id   uuid NOT NULL,
    fields      text NOT NULL,
    prev_hash   text NOT NULL,
    hash        text NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Transactional outbox: pseudonymised events written with the change they describe.
CREATE TABLE outbox (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    event_type      text NOT NULL,
    payload         text NOT NULL,
    created_at      timestamptz NOT NULL,
    published_at    timestamptz,
    PRIMARY KEY (tenant_id, id)
);

-- Per-tenant key of the person pseudonyms in events; never leaves this store.
CREATE TABLE tenant_keys (
    tenant_id   uuid NOT NULL PRIMARY KEY,
    secret      text NOT NULL
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['households', 'persons', 'consents', 'cases', 'encounters', 'needs',
                             'interventions', 'audit_heads', 'audit_log', 'outbox', 'tenant_keys'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I
                USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)
                WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
            t);
    END LOOP;
END $$;
